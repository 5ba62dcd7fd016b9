import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { TRANSACTION_RUNNER } from '@nrm/messaging';
import { SqlExecutor, TransactionRunner } from '@nrm/persistence';
import { Deadline, DeadlineJob, Deadlines, DEADLINES_QUEUE } from './deadlines';

/** What a service does when one kind of its deadlines passes unmet. Runs in the breach's transaction. */
export interface DeadlineBreachHandler {
  readonly kind: string;
  onBreach(tx: SqlExecutor, deadline: Deadline): Promise<void>;
}

export const DEADLINE_BREACH_HANDLERS = Symbol('DEADLINE_BREACH_HANDLERS');

@Processor(DEADLINES_QUEUE, { concurrency: 20 })
export class DeadlineWorker extends WorkerHost {
  private readonly logger = new Logger(DeadlineWorker.name);
  private readonly handlers: Map<string, DeadlineBreachHandler>;

  constructor(
    private readonly deadlines: Deadlines,
    @Inject(TRANSACTION_RUNNER) private readonly db: TransactionRunner,
    @Inject(DEADLINE_BREACH_HANDLERS) handlers: DeadlineBreachHandler[],
  ) {
    super();
    this.handlers = new Map(handlers.map((handler) => [handler.kind, handler]));
  }

  async process(job: Job<DeadlineJob>): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const deadline = await this.deadlines.claimBreach(tx, job.data.deadlineId);
      if (!deadline) return;
      const handler = this.handlers.get(deadline.kind);
      if (!handler) throw new Error(`No breach handler for deadline kind ${deadline.kind}`);
      this.logger.log({ message: 'Deadline breached', deadlineId: deadline.id, kind: deadline.kind });
      await handler.onBreach(tx, deadline);
    });
  }
}
