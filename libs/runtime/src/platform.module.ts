import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuditModule } from '@nrm/audit';
import { AuthModule } from '@nrm/auth';
import { PlatformConfigModule, PlatformSettings, ServiceName } from '@nrm/config';
import { MESSAGING_HEALTH_CHECKS, MessagingModule } from '@nrm/messaging';
import { HealthModule, MetricsModule, ObservabilityModule } from '@nrm/observability';
import { DeadlineBreachHandler, RedisCheck, SchedulingModule } from '@nrm/scheduling';
import { FieldCatalogue } from './i18n/field-problems';
import { LocalisedValidationFilter } from './i18n/localised-errors.filter';

export interface PlatformOptions {
  service: ServiceName;
  /** The service's Prisma client class. */
  database: Type<unknown>;
  /** Breach handler classes, which the service also lists among its own module's providers. */
  deadlineBreachHandlers?: Type<DeadlineBreachHandler>[];
  /** The names of the fields the service's API takes, for field errors in the caller's language. */
  fields?: FieldCatalogue;
}

/**
 * What every service stands on: validated settings, JSON logs with correlation
 * ids, Prometheus metrics, bearer-token authentication with role permissions,
 * an append-only audit trail, rate limits, outbox/inbox messaging over its own
 * database, BullMQ deadlines, field errors in the caller's language, and a
 * health check of PostgreSQL, Redis and Kafka.
 */
@Module({})
export class PlatformModule {
  static forService(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        PlatformConfigModule.forService(options.service),
        ObservabilityModule.forService(options.service),
        MetricsModule.forService(options.service),
        AuthModule,
        AuditModule,
        ThrottlerModule.forRootAsync({
          inject: [PlatformSettings],
          useFactory: (settings: PlatformSettings) => [{ ttl: 60_000, limit: settings.rateLimitPerMinute }],
        }),
        MessagingModule.forService(options.database),
        SchedulingModule.forService(options.deadlineBreachHandlers ?? []),
        HealthModule.withChecks([...MESSAGING_HEALTH_CHECKS, RedisCheck]),
      ],
      providers: [
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_FILTER, useValue: new LocalisedValidationFilter(options.fields ?? { labels: {} }) },
      ],
    };
  }
}
