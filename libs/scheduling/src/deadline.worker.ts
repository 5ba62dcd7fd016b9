import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, OnModuleInit, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Job } from 'bullmq';
import { TRANSACTION_RUNNER } from '@nrm/messaging';
import { SqlExecutor, TransactionRunner } from '@nrm/persistence';
import { Deadline, DeadlineJob, Deadlines, DEADLINES_QUEUE } from './deadlines';
import { SchedulingMetrics } from './scheduling.metrics';

/** Work that may only start once the breach has committed, such as queueing what it recorded. */
export type AfterBreach = () => Promise<void>;

/** What a service does when a deadline of these kinds passes unmet. Runs in the breach's transaction. */
export interface DeadlineBreachHandler {
  readonly kinds: readonly string[];
  onBreach(tx: SqlExecutor, deadline: Deadline): Promise<void | AfterBreach>;
}

/** The handler classes; each service provides them in its own module, where their dependencies live. */
export const DEADLINE_BREACH_HANDLERS = Symbol('DEADLINE_BREACH_HANDLERS');

@Processor(DEADLINES_QUEUE, { concurrency: 20 })
export class DeadlineWorker extends WorkerHost implements OnModuleInit {
  private readonly logger = new Logger(DeadlineWorker.name);
  private readonly handlers = new Map<string, DeadlineBreachHandler>();

  constructor(
    private readonly deadlines: Deadlines,
    private readonly moduleRef: ModuleRef,
    @Inject(TRANSACTION_RUNNER) private readonly db: TransactionRunner,
    @Inject(DEADLINE_BREACH_HANDLERS) private readonly handlerTypes: Type<DeadlineBreachHandler>[],
    private readonly metrics: SchedulingMetrics,
  ) {
    super();
  }

  onModuleInit(): void {
    for (const type of this.handlerTypes) {
      const handler = this.moduleRef.get(type, { strict: false });
      for (const kind of handler.kinds) this.handlers.set(kind, handler);
    }
  }

  async process(job: Job<DeadlineJob>): Promise<void> {
    const breach = await this.db.$transaction(async (tx) => {
      const deadline = await this.deadlines.claimBreach(tx, job.data.deadlineId);
      if (!deadline) return undefined;
      const handler = this.handlers.get(deadline.kind);
      if (!handler) throw new Error(`No breach handler for deadline kind ${deadline.kind}`);
      this.logger.log({ message: 'Deadline breached', deadlineId: deadline.id, kind: deadline.kind });
      return { kind: deadline.kind, afterBreach: await handler.onBreach(tx, deadline) };
    });
    if (!breach) return;
    this.metrics.deadlineBreached(breach.kind);
    if (breach.afterBreach) await breach.afterBreach();
  }
}
