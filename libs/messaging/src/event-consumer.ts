import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { isObject } from 'class-validator';
import { backOff } from 'exponential-backoff';
import { contractKey, EventContract, EventEnvelope, findContract } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { withCorrelation } from '@nrm/observability';
import {
  isTransientInfrastructureError,
  qualifiedTable,
  SqlExecutor,
  TransactionRunner,
} from '@nrm/persistence';
import { DeadLetterWriter, ReceivedMessage } from './dead-letter.writer';
import { MessagingMetrics } from './messaging.metrics';
import { OutboxWriter } from './outbox.writer';
import { GroupHandler, PendingEvent, SharedTransactions } from './shared-transactions';
import { TRANSACTION_RUNNER } from './tokens';
import { FieldProblem, validateAs } from './validation';

export type EventHandler<Tx, P> = (tx: Tx, event: EventEnvelope<P>) => Promise<void>;

export interface HandlerRegistration<Tx> {
  contract: EventContract;
  apply: GroupHandler<Tx>;
  /** Whether the handler would change anything for this (valid) event; if not, it is passed by without a transaction. */
  appliesTo?: (event: EventEnvelope) => boolean;
}

/** Pairs an event contract with the handler that applies it, one event at a time, keeping the payload type. */
export function on<Tx, P>(contract: EventContract<P>, handle: EventHandler<Tx, P>): HandlerRegistration<Tx> {
  return {
    contract,
    apply: async (tx, events) => {
      for (const event of events)
        await withCorrelation(event.correlationId, () => handle(tx, event as EventEnvelope<P>));
    },
  };
}

/**
 * Registers one handler for several contracts that applies a transaction's
 * events together, as sets (a few multi-row statements for the whole group),
 * instead of one at a time. A retried event comes to it alone. A shared
 * transaction groups its events by handler, so create the registration once
 * (a field), not per message: each new one would get its events one by one.
 * `appliesTo` names the valid events the handler changes something for; the
 * others are passed by, with no transaction and no inbox row.
 */
export function onEach<Tx>(
  contracts: EventContract[],
  apply: GroupHandler<Tx>,
  appliesTo?: (event: EventEnvelope) => boolean,
): HandlerRegistration<Tx>[] {
  return contracts.map((contract) => ({ contract, apply, appliesTo }));
}

class Rejection extends Error {
  constructor(
    readonly reason: string,
    readonly details: FieldProblem[] | undefined,
  ) {
    super(reason);
  }
}

const MAX_INFRASTRUCTURE_WAIT_MS = 5_000;

/**
 * Applies one Kafka message at most once per consumer:
 * - malformed, unknown or invalid messages go straight to the dead letters;
 * - the handler runs in a transaction with the inbox row, so a redelivered
 *   event has no second effect; events that arrive together share one
 *   transaction (`SharedTransactions`);
 * - a failing handler is retried with backoff, alone, then dead-lettered with its reason;
 * - while the database is unreachable the message waits (heartbeating) instead:
 *   an outage is not the message's fault.
 * Returning normally lets the offset be committed; throwing leaves it uncommitted.
 */
@Injectable()
export class EventConsumer<Tx extends SqlExecutor> implements OnApplicationShutdown {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly shared: SharedTransactions<Tx>;
  private stopping = false;

  constructor(
    private readonly settings: PlatformSettings,
    @Inject(TRANSACTION_RUNNER) db: TransactionRunner<Tx>,
    private readonly deadLetters: DeadLetterWriter,
    private readonly metrics: MessagingMetrics,
    outbox: OutboxWriter,
  ) {
    this.shared = new SharedTransactions<Tx>(
      db,
      qualifiedTable(settings.databaseSchema, 'inbox'),
      {
        groupSize: settings.consumerTransactionGroupSize,
        concurrent: settings.consumerConcurrentTransactions,
      },
      outbox,
    );
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }

  async consume(consumer: string, context: KafkaContext, handlers: HandlerRegistration<Tx>[]): Promise<void> {
    const message = ReceivedMessage.from(context);
    let envelope: EventEnvelope;
    let registration: HandlerRegistration<Tx> | undefined;
    try {
      envelope = this.parseEnvelope(message);
      registration = handlers.find(
        (candidate) =>
          contractKey(candidate.contract.type, candidate.contract.version) ===
          contractKey(envelope.type, envelope.version),
      );
      // A stream carries events this consumer does not apply: only those it applies are checked in full.
      if (registration) this.checkPayload(registration.contract, envelope);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      await this.untilDatabaseAnswers(context, () =>
        this.deadLetters.record(message, consumer, error.reason, error.details, 0),
      );
      return;
    }
    if (!registration || registration.appliesTo?.(envelope) === false) return;
    const handler = registration;
    await withCorrelation(envelope.correlationId, () =>
      this.apply(consumer, message, context, envelope, handler),
    );
  }

  private parseEnvelope(message: ReceivedMessage): EventEnvelope {
    const value = message.parsedValue();
    if (value === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Rejection('malformed: the message is not a JSON object', undefined);
    }
    // The payload is checked against its contract next; here only whether it is an object counts, and
    // handing it over whole would have it copied and walked twice (a sixth of checking an event).
    const { payload } = value as { payload?: unknown };
    const envelopeProblems = validateAs(EnvelopeShape, {
      ...value,
      payload: isObject(payload) ? {} : payload,
    });
    if (envelopeProblems.length > 0) throw new Rejection('invalid envelope', envelopeProblems);
    const envelope = value as EventEnvelope;
    if (!findContract(envelope.type, envelope.version))
      throw new Rejection(`unknown event type ${contractKey(envelope.type, envelope.version)}`, undefined);
    if (message.key !== undefined && message.key !== envelope.caseId) {
      throw new Rejection('the message key is not the event case id', undefined);
    }
    return envelope;
  }

  private checkPayload(contract: EventContract, envelope: EventEnvelope): void {
    const payloadProblems = validateAs(contract.payload as new () => object, envelope.payload);
    if (payloadProblems.length > 0) throw new Rejection('invalid payload', payloadProblems);
  }

  private async apply(
    consumer: string,
    message: ReceivedMessage,
    context: KafkaContext,
    envelope: EventEnvelope,
    registration: HandlerRegistration<Tx>,
  ): Promise<void> {
    const event: PendingEvent<Tx> = { consumer, topic: message.topic, envelope, apply: registration.apply };
    try {
      this.recordOutcome(event, await this.shared.apply(event));
      return;
    } catch (error) {
      if (this.stopping) throw error;
      // This event or another of its group failed and all of them rolled back: this one goes on alone.
    }
    let attempts = 0;
    try {
      await backOff(
        () => {
          attempts += 1;
          return this.untilDatabaseAnswers(context, async () =>
            this.recordOutcome(event, await this.shared.applyAlone(event)),
          );
        },
        {
          numOfAttempts: this.settings.consumerMaxAttempts,
          startingDelay: this.settings.consumerRetryInitialMs,
          timeMultiple: 2,
          jitter: 'full',
          retry: () => !this.stopping,
        },
      );
    } catch (error) {
      if (this.stopping) throw error;
      const reason = `handler failed after ${attempts} attempts: ${describe(error)}`;
      this.logger.error({ message: 'Event dead-lettered', consumer, eventId: envelope.eventId, reason });
      await this.untilDatabaseAnswers(context, () =>
        this.deadLetters.record(message, consumer, reason, undefined, attempts),
      );
    }
  }

  /**
   * An applied event is counted in the metrics and logged only at debug level:
   * a surge applies dozens per referral, and writing a line for each took 4 to
   * 7% of each service's CPU. A skipped one is rare and worth a line.
   */
  private recordOutcome({ consumer, topic, envelope }: PendingEvent<Tx>, applied: boolean): void {
    this.metrics.eventConsumed(topic, envelope.type, applied);
    const entry = { consumer, eventId: envelope.eventId, type: envelope.type };
    if (applied) this.logger.debug({ message: 'Event applied', ...entry });
    else this.logger.log({ message: 'Event already applied; skipped', ...entry });
  }

  /**
   * Retries `work` for as long as the database is unreachable, keeping the
   * consumer's group membership alive; other errors go to the caller.
   */
  private async untilDatabaseAnswers<T>(context: KafkaContext, work: () => Promise<T>): Promise<T> {
    let delay = 250;
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (!isTransientInfrastructureError(error) || this.stopping) throw error;
        this.logger.warn({ message: 'Database unavailable; the message waits', error: describe(error) });
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_INFRASTRUCTURE_WAIT_MS);
        await context.getHeartbeat()();
      }
    }
  }
}

/** Only the envelope's own fields are checked here; the payload is checked against its contract. */
class EnvelopeShape extends EventEnvelope {}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, 500);
}
