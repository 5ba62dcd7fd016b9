import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, EventContract, EventEnvelope, Headers, SYSTEM_ACTOR, topicOf } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { currentOrNewCorrelationId } from '@nrm/observability';
import { qualifiedTable, runAsOneStatement, SqlExecutor, SqlPart } from '@nrm/persistence';

export interface NewEvent<P> {
  caseId: string;
  payload: P;
  /** The event this one answers: its correlation id is carried on and it becomes the causation id. */
  causedBy?: Pick<EventEnvelope, 'eventId' | 'correlationId'>;
  actor?: Actor;
}

/** The LISTEN/NOTIFY channel that wakes a service's outbox relay. */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

export interface RawOutboxMessage {
  topic: string;
  key: string;
  type: string;
  headers: Record<string, string>;
  envelope: unknown;
}

/**
 * Writes events into the service's outbox table inside the caller's
 * transaction: the state change and its events commit together or not at all.
 *
 * In a transaction a consumer shares among many events, the rows are held
 * back and written together just before it commits (`collectWithin`, then
 * `writeCollected`): one multi-row insert in the order they were appended,
 * instead of one insert each.
 */
@Injectable()
export class OutboxWriter {
  private readonly table: string;
  private readonly channel: string;
  private readonly collected = new WeakMap<SqlExecutor, RawOutboxMessage[]>();

  constructor(private readonly settings: PlatformSettings) {
    this.table = qualifiedTable(settings.databaseSchema, 'outbox');
    this.channel = outboxChannel(settings.databaseSchema);
  }

  async append<P>(
    tx: SqlExecutor,
    contract: EventContract<P>,
    event: NewEvent<P>,
  ): Promise<EventEnvelope<P>> {
    const { envelope, message } = this.compose(contract, event);
    await this.appendRaw(tx, message);
    return envelope;
  }

  /** The event and the outbox row that carries it, for a caller that writes rows with `insertion`. */
  compose<P>(
    contract: EventContract<P>,
    event: NewEvent<P>,
  ): { envelope: EventEnvelope<P>; message: RawOutboxMessage } {
    const envelope: EventEnvelope<P> = {
      eventId: randomUUID(),
      type: contract.type,
      version: contract.version,
      caseId: event.caseId,
      occurredAt: new Date().toISOString(),
      correlationId: event.causedBy?.correlationId ?? currentOrNewCorrelationId(),
      ...(event.causedBy ? { causationId: event.causedBy.eventId } : {}),
      actor: event.actor ?? SYSTEM_ACTOR,
      payload: event.payload,
    };
    const message: RawOutboxMessage = {
      topic: topicOf(contract.stream, this.settings.kafkaTopicPrefix),
      key: envelope.caseId,
      type: envelope.type,
      headers: {
        [Headers.eventType]: envelope.type,
        [Headers.eventVersion]: String(envelope.version),
        [Headers.correlationId]: envelope.correlationId,
      },
      envelope,
    };
    return { envelope, message };
  }

  async appendRaw(tx: SqlExecutor, message: RawOutboxMessage): Promise<void> {
    const collecting = this.collected.get(tx);
    if (collecting) collecting.push(message);
    else await this.write(tx, [message]);
  }

  /** From now on, rows appended in this transaction wait for `writeCollected`. */
  collectWithin(tx: SqlExecutor): void {
    this.collected.set(tx, []);
  }

  /** Writes the rows collected in this transaction, and appends directly again. */
  async writeCollected(tx: SqlExecutor): Promise<void> {
    const messages = this.collected.get(tx) ?? [];
    this.collected.delete(tx);
    if (messages.length > 0) await this.write(tx, messages);
  }

  /**
   * The statements that write these rows, in the order given, and wake the
   * relay, for `runAsOneStatement`. The wake-up reaches the relay when the
   * rows commit; it still polls, so a lost one only delays publishing.
   */
  insertion(messages: readonly RawOutboxMessage[]): SqlPart[] {
    return [
      {
        // WITH ORDINALITY keeps the rows' sequence in the order they were appended.
        text: `INSERT INTO ${this.table} (id, topic, key, type, headers, envelope)
               SELECT id, topic, key, type, headers, envelope
                 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])
                      WITH ORDINALITY AS message(id, topic, key, type, headers, envelope, position)
                ORDER BY position
               RETURNING id`,
        values: [
          messages.map(() => randomUUID()),
          messages.map((message) => message.topic),
          messages.map((message) => message.key),
          messages.map((message) => message.type),
          messages.map((message) => JSON.stringify(message.headers)),
          messages.map((message) => JSON.stringify(message.envelope)),
        ],
      },
      { text: `SELECT pg_notify($1, '')`, values: [this.channel] },
    ];
  }

  private async write(tx: SqlExecutor, messages: RawOutboxMessage[]): Promise<void> {
    await runAsOneStatement(tx, this.insertion(messages));
  }
}
