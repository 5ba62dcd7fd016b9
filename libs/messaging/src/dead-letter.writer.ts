import { Inject, Injectable } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import { deadLetterTopicOf, Headers } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { qualifiedTable, SqlExecutor, TransactionRunner } from '@nrm/persistence';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxWriter } from './outbox.writer';
import { TRANSACTION_RUNNER } from './tokens';
import { FieldProblem } from './validation';

/** A Kafka message as received. */
export class ReceivedMessage {
  private constructor(
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    readonly key: string | undefined,
    readonly headers: Record<string, string>,
    readonly text: string,
  ) {}

  static from(context: KafkaContext): ReceivedMessage {
    const message = context.getMessage();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : String(value);
    }
    // The transport keeps values as bytes (`kafkaServerOptions`): what arrived is kept exactly.
    const text = message.value === null ? '' : message.value.toString('utf8');
    const key = message.key === null || message.key === undefined ? undefined : String(message.key);
    return new ReceivedMessage(
      context.getTopic(),
      context.getPartition(),
      message.offset,
      key,
      headers,
      text,
    );
  }

  parsedValue(): unknown {
    try {
      return JSON.parse(this.text) as unknown;
    } catch {
      return undefined;
    }
  }
}

/**
 * Records a message a consumer gave up on: a row operators can list and replay,
 * and a copy on the topic's dead-letter topic, both in one transaction through
 * the outbox so the dead letter itself cannot be lost.
 */
@Injectable()
export class DeadLetterWriter {
  private readonly table: string;

  constructor(
    settings: PlatformSettings,
    @Inject(TRANSACTION_RUNNER) private readonly db: TransactionRunner,
    private readonly outbox: OutboxWriter,
    private readonly metrics: MessagingMetrics,
  ) {
    this.table = qualifiedTable(settings.databaseSchema, 'dead_letter');
  }

  async record(
    message: ReceivedMessage,
    consumer: string,
    reason: string,
    details: FieldProblem[] | undefined,
    attempts: number,
  ): Promise<void> {
    const parsed = message.parsedValue() as { eventId?: unknown; type?: unknown } | undefined;
    const eventId = typeof parsed?.eventId === 'string' ? parsed.eventId.slice(0, 100) : null;
    const eventType = typeof parsed?.type === 'string' ? parsed.type.slice(0, 100) : null;
    await this.db.$transaction(async (tx: SqlExecutor) => {
      const id = randomUUID();
      await tx.$executeRawUnsafe(
        `INSERT INTO ${this.table}
           (id, consumer, topic, partition, "offset", key, event_id, event_type, headers, value, reason, details, attempts)
         VALUES ($1::uuid, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12::jsonb, $13)`,
        id,
        consumer,
        message.topic,
        message.partition,
        message.offset,
        message.key ?? null,
        eventId,
        eventType,
        JSON.stringify(message.headers),
        message.text,
        reason,
        details ? JSON.stringify(details) : null,
        attempts,
      );
      await this.outbox.appendRaw(tx, {
        topic: deadLetterTopicOf(message.topic),
        key: message.key ?? id,
        type: eventType ?? 'unknown',
        headers: {
          ...message.headers,
          [Headers.deadLetterReason]: reason.slice(0, 500),
          [Headers.deadLetterConsumer]: consumer,
          [Headers.originalTopic]: message.topic,
        },
        envelope: parsed ?? { unparsable: message.text },
      });
    });
    this.metrics.eventDeadLettered(message.topic, eventType);
  }
}
