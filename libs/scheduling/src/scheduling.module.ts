import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { DynamicModule, Inject, Injectable, Module, Type } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import { PlatformSettings } from '@nrm/config';
import { DependencyCheck } from '@nrm/observability';
import { DEADLINE_BREACH_HANDLERS, DeadlineBreachHandler, DeadlineWorker } from './deadline.worker';
import { Deadlines, DEADLINES_QUEUE } from './deadlines';
import { redisConnection } from './redis-connection';
import { SchedulingMetrics } from './scheduling.metrics';

@Injectable()
export class RedisCheck implements DependencyCheck {
  constructor(
    private readonly indicator: HealthIndicatorService,
    @Inject(getQueueToken(DEADLINES_QUEUE)) private readonly queue: Queue,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const session = this.indicator.check('redis');
    try {
      const client = await this.queue.getBackend().client;
      await client.runCommand('ping', []);
      return session.up();
    } catch (error) {
      return session.down({ error: error instanceof Error ? error.message : String(error) });
    }
  }
}

/** BullMQ on Redis for one service, with its deadline breach handlers. */
@Module({})
export class SchedulingModule {
  static forService(handlers: Type<DeadlineBreachHandler>[]): DynamicModule {
    return {
      module: SchedulingModule,
      global: true,
      imports: [
        BullModule.forRootAsync({
          inject: [PlatformSettings],
          useFactory: (settings: PlatformSettings) => ({
            connection: redisConnection(settings.redisUrl),
            prefix: settings.queueNamespace,
          }),
        }),
        BullModule.registerQueue({ name: DEADLINES_QUEUE }),
      ],
      providers: [
        Deadlines,
        DeadlineWorker,
        SchedulingMetrics,
        { provide: DEADLINE_BREACH_HANDLERS, useValue: handlers },
      ],
      exports: [Deadlines, BullModule],
    };
  }
}
