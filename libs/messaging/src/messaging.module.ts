import { DynamicModule, Module, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { DeadLetterWriter } from './dead-letter.writer';
import { DeadLettersController } from './dead-letters.controller';
import { DeadLettersService } from './dead-letters.service';
import { EventConsumer } from './event-consumer';
import { ConsumerStatus, DatabaseCheck, KafkaCheck } from './health';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';
import { TRANSACTION_RUNNER } from './tokens';

/**
 * Outbox, relay, idempotent consumer and dead letters for one service, bound to
 * that service's Prisma client.
 */
@Module({})
export class MessagingModule {
  static forService(database: Type<unknown>): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      controllers: [DeadLettersController],
      providers: [
        database,
        { provide: TRANSACTION_RUNNER, useExisting: database },
        OutboxWriter,
        OutboxRelay,
        DeadLetterWriter,
        DeadLettersService,
        EventConsumer,
        ConsumerStatus,
        MessagingMetrics,
      ],
      exports: [database, TRANSACTION_RUNNER, OutboxWriter, OutboxRelay, EventConsumer, ConsumerStatus],
    };
  }
}

export const MESSAGING_HEALTH_CHECKS = [DatabaseCheck, KafkaCheck];
