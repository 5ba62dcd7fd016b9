import { EventEnvelope } from '@nrm/contracts';
import { GroupedCalls, SqlExecutor, TransactionRunner } from '@nrm/persistence';

/**
 * Applies events in a transaction; what it returns runs once the transaction
 * has committed. The group's events with the same one are handed to one call, in their order.
 */
export type GroupHandler<Tx> = (tx: Tx, events: EventEnvelope[]) => Promise<AfterCommit | void>;

/** One event waiting to be applied, with the inbox key it is applied under. */
export interface PendingEvent<Tx> {
  consumer: string;
  topic: string;
  envelope: EventEnvelope;
  apply: GroupHandler<Tx>;
}

/**
 * Work a group handler leaves for after its transaction commits (queueing or
 * removing jobs): best effort, since the reconcilers repair what it misses.
 */
export type AfterCommit = () => Promise<void>;

interface GroupOutcome {
  applied: boolean[];
  afterCommit: AfterCommit[];
}

/**
 * Applies the events that arrive while a transaction is in progress together,
 * in the next one: one begin, one multi-row inbox insert and one commit for
 * all of them, instead of one of each per event. Under a surge the consumer
 * works on many partitions at once and the groups grow; when it is quiet an
 * event is applied alone, at once.
 *
 * Each caller waits for its own outcome: whether its event was new (applied)
 * or already in the inbox (skipped), known only once the group committed. When
 * any event of a group fails, the whole group rolls back and every caller gets
 * the error: the caller then applies its event alone, with its own retries, so
 * one bad event never holds back or dead-letters another.
 */
export class SharedTransactions<Tx extends SqlExecutor> {
  private readonly groups: GroupedCalls<PendingEvent<Tx>, boolean>;

  constructor(
    private readonly db: TransactionRunner<Tx>,
    private readonly inbox: string,
    limits: { groupSize: number; concurrent: number },
    /** Writes held back while the group is applied (the outbox's rows), written before commit. */
    private readonly heldBack?: { collectWithin(tx: Tx): void; writeCollected(tx: Tx): Promise<void> },
  ) {
    this.groups = new GroupedCalls((group) => this.applyInTransaction(group), limits);
  }

  /** Resolves with whether the event was applied (false: it was in the inbox already). */
  applyAlone(event: PendingEvent<Tx>): Promise<boolean> {
    return this.applyInTransaction([event]).then(([applied]) => applied);
  }

  /** As `applyAlone`, in a transaction shared with the events handed over with it. */
  apply(event: PendingEvent<Tx>): Promise<boolean> {
    return this.groups.run(event);
  }

  private async applyInTransaction(group: PendingEvent<Tx>[]): Promise<boolean[]> {
    const outcome = await this.db.$transaction((tx) => this.applyAll(tx, group));
    await Promise.allSettled(outcome.afterCommit.map((work) => work()));
    return outcome.applied;
  }

  private async applyAll(tx: Tx, group: PendingEvent<Tx>[]): Promise<GroupOutcome> {
    this.heldBack?.collectWithin(tx);
    const inserted = await tx.$queryRawUnsafe<{ consumer: string; eventId: string }[]>(
      `INSERT INTO ${this.inbox} (consumer, event_id, topic)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[])
       ON CONFLICT DO NOTHING
       RETURNING consumer, event_id::text AS "eventId"`,
      group.map((event) => event.consumer),
      group.map((event) => event.envelope.eventId),
      group.map((event) => event.topic),
    );
    // The same event twice in one group is applied once: its key is used up by the first.
    const fresh = new Set(inserted.map((row) => inboxKey(row.consumer, row.eventId)));
    const outcomes = group.map((event) => fresh.delete(inboxKey(event.consumer, event.envelope.eventId)));
    const byHandler = new Map<GroupHandler<Tx>, EventEnvelope[]>();
    group.forEach((event, index) => {
      if (!outcomes[index]) return;
      const together = byHandler.get(event.apply);
      if (together) together.push(event.envelope);
      else byHandler.set(event.apply, [event.envelope]);
    });
    const afterCommit: AfterCommit[] = [];
    for (const [apply, events] of byHandler) {
      const leftForLater = await apply(tx, events);
      if (leftForLater) afterCommit.push(leftForLater);
    }
    await this.heldBack?.writeCollected(tx);
    return { applied: outcomes, afterCommit };
  }
}

/** PostgreSQL spells a uuid in lower case; an event may not. */
function inboxKey(consumer: string, eventId: string): string {
  return `${consumer} ${eventId.toLowerCase()}`;
}
