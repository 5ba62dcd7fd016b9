import { EventEnvelope } from '@nrm/contracts';
import { withCorrelation } from '@nrm/observability';
import { SqlExecutor, TransactionRunner } from '@nrm/persistence';

/** One event waiting to be applied, with the inbox key it is applied under. */
export interface PendingEvent<Tx> {
  consumer: string;
  topic: string;
  envelope: EventEnvelope;
  handle: (tx: Tx, event: EventEnvelope) => Promise<void>;
  /** When given, the group's events with the same one are applied by one call, in their order. */
  handleGroup?: (tx: Tx, events: EventEnvelope[]) => Promise<AfterCommit | void>;
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

interface Waiting<Tx> extends PendingEvent<Tx> {
  settle: { resolve: (applied: boolean) => void; reject: (error: unknown) => void };
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
  private waiting: Waiting<Tx>[] = [];
  private inProgress = 0;
  private flushQueued = false;

  constructor(
    private readonly db: TransactionRunner<Tx>,
    private readonly inbox: string,
    private readonly limits: { groupSize: number; concurrent: number },
  ) {}

  /** Resolves with whether the event was applied (false: it was in the inbox already). */
  async applyAlone(event: PendingEvent<Tx>): Promise<boolean> {
    const outcome = await this.db.$transaction((tx) => this.applyAll(tx, [event]));
    await runAfterCommit(outcome);
    return outcome.applied[0];
  }

  /** As `applyAlone`, in a transaction shared with the events handed over with it. */
  apply(event: PendingEvent<Tx>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ ...event, settle: { resolve, reject } });
      this.queueFlush();
    });
  }

  /** Waits a turn of the event loop, so that events handed over together share the transaction. */
  private queueFlush(): void {
    if (this.flushQueued || this.inProgress >= this.limits.concurrent) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.waiting.length === 0 || this.inProgress >= this.limits.concurrent) return;
    const group = this.waiting.splice(0, this.limits.groupSize);
    this.inProgress += 1;
    try {
      const outcome = await this.db.$transaction((tx) => this.applyAll(tx, group));
      await runAfterCommit(outcome);
      group.forEach((event, index) => event.settle.resolve(outcome.applied[index]));
    } catch (error) {
      for (const event of group) event.settle.reject(error);
    } finally {
      this.inProgress -= 1;
      if (this.waiting.length > 0) this.queueFlush();
    }
  }

  private async applyAll(tx: Tx, group: PendingEvent<Tx>[]): Promise<GroupOutcome> {
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
    const afterCommit: AfterCommit[] = [];
    const groupsApplied = new Set<PendingEvent<Tx>['handleGroup']>();
    for (const [index, event] of group.entries()) {
      if (!outcomes[index]) continue;
      const { handleGroup } = event;
      if (!handleGroup) {
        await withCorrelation(event.envelope.correlationId, () => event.handle(tx, event.envelope));
      } else if (!groupsApplied.has(handleGroup)) {
        groupsApplied.add(handleGroup);
        const together = group.filter((other, at) => outcomes[at] && other.handleGroup === handleGroup);
        const leftForLater = await handleGroup(
          tx,
          together.map((other) => other.envelope),
        );
        if (leftForLater) afterCommit.push(leftForLater);
      }
    }
    return { applied: outcomes, afterCommit };
  }
}

async function runAfterCommit({ afterCommit }: GroupOutcome): Promise<void> {
  await Promise.allSettled(afterCommit.map((work) => work()));
}

/** PostgreSQL spells a uuid in lower case; an event may not. */
function inboxKey(consumer: string, eventId: string): string {
  return `${consumer} ${eventId.toLowerCase()}`;
}
