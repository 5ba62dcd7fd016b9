import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { PlatformSettings } from '@nrm/config';
import { TRANSACTION_RUNNER } from '@nrm/messaging';
import { qualifiedTable, SqlExecutor, SqlPart } from '@nrm/persistence';

export const DEADLINES_QUEUE = 'deadlines';

export interface Deadline {
  id: string;
  caseId: string;
  kind: string;
  /** The case itself, or the part of it the deadline is about (an offer, a follow-up visit). */
  subjectId: string;
  dueAt: Date;
}

export interface NewDeadline {
  caseId: string;
  kind: string;
  subjectId?: string;
  dueAt: Date;
}

export interface DeadlineJob {
  deadlineId: string;
}

/**
 * Deadlines set or settled inside a transaction, for the queue to follow once
 * it commits. If the transaction rolls back, a job for a deadline that does
 * not exist finds nothing to do, and a job not removed is removed when it fires.
 */
export class DeadlineChanges {
  readonly created: Deadline[] = [];
  /** Deadlines whose due time changed: their old job must go. */
  readonly moved: Deadline[] = [];
  readonly settled: Deadline[] = [];
}

const RECONCILE_PAGE = 1_000;
const COLUMNS = `id, case_id AS "caseId", kind, subject_id AS "subjectId", due_at AS "dueAt"`;

/**
 * Deadlines live in PostgreSQL; BullMQ holds a delayed job per deadline due
 * within a rolling window, derived from the rows. After Redis loses its data
 * (it keeps nothing on disk here), the reconciler re-creates the jobs: at start,
 * on reconnect and periodically.
 */
@Injectable()
export class Deadlines implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Deadlines.name);
  private readonly table: string;
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<number> | null = null;

  constructor(
    private readonly settings: PlatformSettings,
    @Inject(TRANSACTION_RUNNER) private readonly db: SqlExecutor,
    @InjectQueue(DEADLINES_QUEUE) private readonly queue: Queue<DeadlineJob>,
  ) {
    this.table = qualifiedTable(settings.databaseSchema, 'deadline');
  }

  async onApplicationBootstrap(): Promise<void> {
    const client = await this.queue.getBackend().client;
    client.on('ready', () => void this.reconcileQuietly());
    await this.reconcileQuietly();
    this.timer = setInterval(() => void this.reconcileQuietly(), this.settings.deadlineReconcileIntervalMs);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Records a deadline inside the caller's transaction; call `schedule` once it has committed. */
  async create(tx: SqlExecutor, deadline: NewDeadline): Promise<Deadline> {
    const [created] = await this.createAll(tx, [deadline]);
    return created;
  }

  /** Records deadlines of different subjects in one statement; call `scheduleAll` once it has committed. */
  createAll(tx: SqlExecutor, deadlines: readonly NewDeadline[]): Promise<Deadline[]> {
    if (deadlines.length === 0) return Promise.resolve([]);
    const { text, values } = this.insertion(this.identify(deadlines));
    return tx.$queryRawUnsafe<Deadline[]>(text, ...values);
  }

  /** New deadlines with their ids, to be written by `insertion`. */
  identify(deadlines: readonly NewDeadline[]): Deadline[] {
    return deadlines.map((deadline) => ({
      id: randomUUID(),
      caseId: deadline.caseId,
      kind: deadline.kind,
      subjectId: deadline.subjectId ?? deadline.caseId,
      dueAt: deadline.dueAt,
    }));
  }

  /**
   * The statement that records these deadlines (for `runAsOneStatement`, or
   * run alone); one already set for its case, kind and subject is kept as it was.
   */
  insertion(deadlines: readonly Deadline[]): SqlPart {
    return {
      text: `INSERT INTO ${this.table} (id, case_id, kind, subject_id, due_at)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[])
             ON CONFLICT (case_id, kind, subject_id) DO UPDATE SET kind = EXCLUDED.kind RETURNING ${COLUMNS}`,
      values: [
        deadlines.map((deadline) => deadline.id),
        deadlines.map((deadline) => deadline.caseId),
        deadlines.map((deadline) => deadline.kind),
        deadlines.map((deadline) => deadline.subjectId),
        deadlines.map((deadline) => deadline.dueAt.toISOString()),
      ],
    };
  }

  /**
   * Sets deadlines, each new or again after it ran before (a declined transfer
   * returns the case to acceptance: a settled row becomes pending with its new
   * due time), in one statement inside the caller's transaction, and notes
   * each in `changes` as created or moved. Of several settings of one
   * deadline, the last counts. Returns the deadlines as stored.
   */
  async rearm(
    tx: SqlExecutor,
    changes: DeadlineChanges,
    deadlines: readonly NewDeadline[],
  ): Promise<Deadline[]> {
    // An upsert may not touch a row twice.
    const latest = new Map(
      deadlines.map((deadline) => {
        const subjectId = deadline.subjectId ?? deadline.caseId;
        return [`${deadline.caseId} ${deadline.kind} ${subjectId}`, { ...deadline, subjectId }];
      }),
    );
    if (latest.size === 0) return [];
    const settings = [...latest.values()];
    // xmax is set on a row version written by an update, so it tells a re-armed row from a new one.
    const rows = await tx.$queryRawUnsafe<(Deadline & { rearmed: boolean })[]>(
      `INSERT INTO ${this.table} (id, case_id, kind, subject_id, due_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[], $5::timestamptz[])
       ON CONFLICT (case_id, kind, subject_id)
         DO UPDATE SET status = 'pending', due_at = EXCLUDED.due_at, settled_at = NULL
       RETURNING ${COLUMNS}, xmax <> 0 AS rearmed`,
      settings.map(() => randomUUID()),
      settings.map((deadline) => deadline.caseId),
      settings.map((deadline) => deadline.kind),
      settings.map((deadline) => deadline.subjectId),
      settings.map((deadline) => deadline.dueAt.toISOString()),
    );
    return rows.map(({ rearmed, ...stored }) => {
      (rearmed ? changes.moved : changes.created).push(stored);
      return stored;
    });
  }

  /** Makes the queue follow what a committed transaction set and settled. */
  async apply(changes: DeadlineChanges): Promise<void> {
    await this.scheduleAll(changes.created);
    for (const deadline of changes.moved) await this.reschedule(deadline);
    await this.unschedule(changes.settled.map((deadline) => deadline.id));
  }

  /** Moves a pending deadline (a court extends a hold) inside the caller's transaction; call `reschedule` after commit. */
  async extend(tx: SqlExecutor, deadlineId: string, dueAt: Date): Promise<Deadline | undefined> {
    const rows = await tx.$queryRawUnsafe<Deadline[]>(
      `UPDATE ${this.table} SET due_at = $2 WHERE id = $1::uuid AND status = 'pending' RETURNING ${COLUMNS}`,
      deadlineId,
      dueAt,
    );
    return rows[0];
  }

  /** The pending deadlines of a case, soonest first. */
  pending(tx: SqlExecutor, caseId: string): Promise<Deadline[]> {
    return tx.$queryRawUnsafe<Deadline[]>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE case_id = $1::uuid AND status = 'pending' ORDER BY due_at, id`,
      caseId,
    );
  }

  /** Derives the job from a committed deadline. Failure is logged: the reconciler catches up. */
  schedule(deadline: Deadline): Promise<void> {
    return this.scheduleAll([deadline]);
  }

  /** Derives the jobs of committed deadlines due within the window, in one call to Redis. */
  async scheduleAll(deadlines: readonly Deadline[]): Promise<void> {
    const horizon = Date.now() + this.settings.deadlineWindowMs;
    const due = deadlines.filter((deadline) => deadline.dueAt.getTime() <= horizon);
    if (due.length === 0) return;
    try {
      await this.queue.addBulk(due.map((deadline) => this.jobOf(deadline)));
    } catch (error) {
      this.logger.warn({
        message: 'Deadlines not queued; the reconciler will queue them',
        deadlineIds: due.map((deadline) => deadline.id),
        error: String(error),
      });
    }
  }

  /**
   * Marks a case's pending deadlines of these kinds as met (or cancelled, when
   * the task no longer exists), inside the caller's transaction. A subject
   * narrows it to one offer or visit. Returns what was settled.
   */
  settle(
    tx: SqlExecutor,
    caseId: string,
    kinds: readonly string[],
    options: { subjectId?: string; as?: 'met' | 'cancelled' } = {},
  ): Promise<Deadline[]> {
    return tx.$queryRawUnsafe<Deadline[]>(
      `UPDATE ${this.table} SET status = $4::deadline_status, settled_at = now()
        WHERE case_id = $1::uuid AND kind = ANY($2::text[]) AND status = 'pending'
          AND ($3::uuid IS NULL OR subject_id = $3::uuid)
        RETURNING ${COLUMNS}`,
      caseId,
      kinds,
      options.subjectId ?? null,
      options.as ?? 'met',
    );
  }

  /** Marks these cases' pending deadlines of one kind as met, in one statement; returns their ids. */
  async meet(tx: SqlExecutor, caseIds: readonly string[], kind: string): Promise<string[]> {
    if (caseIds.length === 0) return [];
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE ${this.table} SET status = 'met', settled_at = now()
        WHERE case_id = ANY($1::uuid[]) AND kind = $2 AND status = 'pending'
        RETURNING id`,
      caseIds,
      kind,
    );
    return rows.map((row) => row.id);
  }

  /** Replaces the job of a deadline whose due time moved. */
  async reschedule(deadline: Deadline): Promise<void> {
    await this.queue.remove(deadline.id).catch(() => 0);
    await this.schedule(deadline);
  }

  /** Drops jobs of deadlines already settled. Best effort: a job that fires anyway finds nothing to do. */
  async unschedule(deadlineIds: string[]): Promise<void> {
    await Promise.all(deadlineIds.map((id) => this.queue.remove(id).catch(() => 0)));
  }

  /**
   * Claims a due deadline for breach handling inside the caller's transaction.
   * Returns nothing when the deadline was met, cancelled or handled already.
   */
  async claimBreach(tx: SqlExecutor, deadlineId: string): Promise<Deadline | undefined> {
    const rows = await tx.$queryRawUnsafe<Deadline[]>(
      `UPDATE ${this.table} SET status = 'breached', settled_at = now()
        WHERE id = $1::uuid AND status = 'pending' AND due_at <= now() RETURNING ${COLUMNS}`,
      deadlineId,
    );
    return rows[0];
  }

  /** Re-creates the job of every pending deadline due within the window. Returns how many were examined. */
  reconcile(): Promise<number> {
    this.reconciling ??= this.reconcilePages().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private async reconcilePages(): Promise<number> {
    const horizon = new Date(Date.now() + this.settings.deadlineWindowMs);
    let examined = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.db.$queryRawUnsafe<Deadline[]>(
        `SELECT ${COLUMNS} FROM ${this.table}
          WHERE status = 'pending' AND due_at <= $1 AND id > $2::uuid ORDER BY id LIMIT $3`,
        horizon,
        after,
        RECONCILE_PAGE,
      );
      if (page.length === 0) return examined;
      // BullMQ ignores an add whose jobId already exists, so existing jobs are untouched.
      await this.queue.addBulk(page.map((deadline) => this.jobOf(deadline)));
      examined += page.length;
      after = page[page.length - 1].id;
    }
  }

  private async reconcileQuietly(): Promise<void> {
    try {
      const examined = await this.reconcile();
      if (examined > 0) this.logger.log({ message: 'Deadline jobs reconciled', examined });
    } catch (error) {
      this.logger.warn({ message: 'Deadline reconciliation failed; will retry', error: String(error) });
    }
  }

  private jobOf(deadline: Deadline) {
    return {
      name: 'deadline',
      data: { deadlineId: deadline.id },
      opts: {
        jobId: deadline.id,
        delay: Math.max(0, deadline.dueAt.getTime() - Date.now()),
        attempts: 10,
        backoff: { type: 'exponential', delay: 1_000 },
        // Finished jobs are removed so a later reconcile can re-create a job whose deadline is still pending.
        removeOnComplete: true,
        removeOnFail: true,
      },
    };
  }
}
