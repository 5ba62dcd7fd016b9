import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { PlatformSettings } from '@nrm/config';
import { TRANSACTION_RUNNER } from '@nrm/messaging';
import { qualifiedTable, SqlExecutor } from '@nrm/persistence';

export const DEADLINES_QUEUE = 'deadlines';

export interface Deadline {
  id: string;
  caseId: string;
  kind: string;
  dueAt: Date;
}

export interface DeadlineJob {
  deadlineId: string;
}

const RECONCILE_PAGE = 1_000;
const COLUMNS = `id, case_id AS "caseId", kind, due_at AS "dueAt"`;

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
  async create(tx: SqlExecutor, caseId: string, kind: string, dueAt: Date): Promise<Deadline> {
    const rows = await tx.$queryRawUnsafe<Deadline[]>(
      `INSERT INTO ${this.table} (id, case_id, kind, due_at) VALUES ($1::uuid, $2::uuid, $3, $4)
       ON CONFLICT (case_id, kind) DO UPDATE SET kind = EXCLUDED.kind RETURNING ${COLUMNS}`,
      randomUUID(),
      caseId,
      kind,
      dueAt,
    );
    return rows[0];
  }

  /** Derives the job from a committed deadline. Failure is logged: the reconciler catches up. */
  async schedule(deadline: Deadline): Promise<void> {
    if (deadline.dueAt.getTime() > Date.now() + this.settings.deadlineWindowMs) return;
    try {
      await this.queue.add('deadline', { deadlineId: deadline.id }, this.jobOptions(deadline));
    } catch (error) {
      this.logger.warn({
        message: 'Deadline not queued; the reconciler will queue it',
        deadlineId: deadline.id,
        error: String(error),
      });
    }
  }

  /** Marks a case's pending deadline of this kind as met, inside the caller's transaction. */
  async meet(tx: SqlExecutor, caseId: string, kind: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE ${this.table} SET status = 'met', settled_at = now()
        WHERE case_id = $1::uuid AND kind = $2 AND status = 'pending' RETURNING id`,
      caseId,
      kind,
    );
    return rows.map((row) => row.id);
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
      await this.queue.addBulk(
        page.map((deadline) => ({
          name: 'deadline',
          data: { deadlineId: deadline.id },
          opts: this.jobOptions(deadline),
        })),
      );
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

  private jobOptions(deadline: Deadline) {
    return {
      jobId: deadline.id,
      delay: Math.max(0, deadline.dueAt.getTime() - Date.now()),
      attempts: 10,
      backoff: { type: 'exponential', delay: 1_000 },
      // Finished jobs are removed so a later reconcile can re-create a job whose deadline is still pending.
      removeOnComplete: true,
      removeOnFail: true,
    };
  }
}
