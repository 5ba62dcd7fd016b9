import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { PlatformSettings } from '@nrm/config';
import { redisConnection } from '@nrm/scheduling';
import { NotificationsDatabase } from '../persistence/notifications-database.service';
import { EXTERNAL_CHANNELS, ExternalChannel, NotificationSettings } from '../settings/notification-settings';

export interface QueuedDelivery {
  id: string;
  channel: string;
  notBefore: Date;
}

export interface DeliveryJob {
  deliveryId: string;
}

/** Deliveries recorded in a transaction, for the queues to take once it commits. */
export class DeliveriesToQueue {
  readonly deliveries: QueuedDelivery[] = [];
}

const RECONCILE_PAGE = 1_000;

export function queueName(channel: ExternalChannel): string {
  return `delivery-${channel}`;
}

/** The states of a job BullMQ has yet to finish. */
const UNFINISHED_JOB_STATES = ['active', 'waiting', 'delayed', 'prioritized', 'waiting-children'] as const;

/**
 * One BullMQ queue per channel, holding a job per delivery still to send
 * (job id = delivery id, so a delivery is never queued twice). The rows in
 * PostgreSQL are the truth: after Redis loses its data, the reconciler queues
 * every delivery not yet finished again, at start and on reconnect. In between
 * it compares, per channel, the deliveries waiting with the jobs queued, and
 * queues them all again only when jobs are missing: in a surge, e-mails wait
 * their turn under the channel's rate limit by the ten thousand, and re-adding
 * every one of them on every check cost more the longer the queue grew.
 */
@Injectable()
export class DeliveryQueues implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryQueues.name);
  private readonly queues: Map<string, Queue<DeliveryJob>>;
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<number> | null = null;

  constructor(
    platform: PlatformSettings,
    private readonly settings: NotificationSettings,
    private readonly db: NotificationsDatabase,
  ) {
    const options = { connection: redisConnection(platform.redisUrl), prefix: platform.queueNamespace };
    this.queues = new Map(
      EXTERNAL_CHANNELS.map((channel) => [channel, new Queue<DeliveryJob>(queueName(channel), options)]),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const queue of this.queues.values()) {
      const client = await queue.getBackend().client;
      client.on('ready', () => void this.reconcileQuietly());
    }
    await this.reconcileQuietly();
    this.timer = setInterval(
      () => void this.reconcileQuietly(true),
      this.settings.deliveryReconcileIntervalMs,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }

  /** Queues committed deliveries. Failure is logged: the reconciler catches up. */
  async enqueue(deliveries: QueuedDelivery[]): Promise<void> {
    try {
      await this.add(deliveries);
    } catch (error) {
      this.logger.warn({
        message: 'Deliveries not queued; the reconciler will queue them',
        error: String(error),
      });
    }
  }

  queue(channel: string): Queue<DeliveryJob> {
    const queue = this.queues.get(channel);
    if (!queue) throw new Error(`No queue for channel ${channel}`);
    return queue;
  }

  /** Queues every delivery still queued or interrupted while sending. Returns how many were examined. */
  reconcile(): Promise<number> {
    this.reconciling ??= this.reconcilePages().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private async reconcilePages(): Promise<number> {
    let examined = 0;
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const page = await this.db.delivery.findMany({
        where: { status: { in: ['queued', 'sending'] }, id: { gt: after } },
        select: { id: true, channel: true, notBefore: true },
        orderBy: { id: 'asc' },
        take: RECONCILE_PAGE,
      });
      if (page.length === 0) return examined;
      await this.add(page);
      examined += page.length;
      after = page[page.length - 1].id;
    }
  }

  private async add(deliveries: QueuedDelivery[]): Promise<void> {
    const now = Date.now();
    for (const [channel, queue] of this.queues) {
      const jobs = deliveries
        .filter((delivery) => delivery.channel === channel)
        .map((delivery) => ({
          name: 'deliver',
          data: { deliveryId: delivery.id },
          // BullMQ ignores an add whose job id exists, so a delivery already queued is untouched.
          opts: {
            jobId: delivery.id,
            delay: Math.max(0, delivery.notBefore.getTime() - now),
            attempts: this.settings.deliveryMaxAttempts,
            backoff: { type: 'exponential', delay: this.settings.deliveryRetryInitialMs },
            removeOnComplete: true,
            removeOnFail: true,
          },
        }));
      if (jobs.length > 0) await queue.addBulk(jobs);
    }
  }

  /** Whether a channel has fewer unfinished jobs than deliveries waiting to be sent. */
  private async jobsAreMissing(): Promise<boolean> {
    const waiting = await this.db.delivery.groupBy({
      by: ['channel'],
      where: { status: { in: ['queued', 'sending'] } },
      _count: { _all: true },
    });
    for (const { channel, _count } of waiting) {
      const counts = await this.queue(channel).getJobCounts(...UNFINISHED_JOB_STATES);
      const jobs = Object.values(counts).reduce((sum, count) => sum + count, 0);
      if (jobs < _count._all) return true;
    }
    return false;
  }

  private async reconcileQuietly(onlyWhenJobsAreMissing = false): Promise<void> {
    try {
      if (onlyWhenJobsAreMissing && !(await this.jobsAreMissing())) return;
      const examined = await this.reconcile();
      if (examined > 0) this.logger.log({ message: 'Delivery jobs reconciled', examined });
    } catch (error) {
      this.logger.warn({ message: 'Delivery reconciliation failed; will retry', error: String(error) });
    }
  }
}
