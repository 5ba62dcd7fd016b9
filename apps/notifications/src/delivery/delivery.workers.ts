import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { PlatformSettings } from '@nrm/config';
import { redisConnection } from '@nrm/scheduling';
import { EXTERNAL_CHANNELS, NotificationSettings } from '../settings/notification-settings';
import { DeliveryJob, queueName } from './delivery-queues';
import { DeliverySender } from './delivery-sender';

/**
 * A BullMQ worker per channel, each with the channel's rate limit. BullMQ
 * retries a failed attempt with exponential backoff; the delivery row decides
 * when attempts are exhausted, so a job re-created after Redis lost its data
 * does not start counting again.
 */
@Injectable()
export class DeliveryWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeliveryWorkers.name);
  private readonly workers: Worker<DeliveryJob>[] = [];

  constructor(
    private readonly platform: PlatformSettings,
    private readonly settings: NotificationSettings,
    private readonly sender: DeliverySender,
  ) {}

  onApplicationBootstrap(): void {
    for (const channel of EXTERNAL_CHANNELS) {
      const worker = new Worker<DeliveryJob>(queueName(channel), (job) => this.process(job), {
        connection: redisConnection(this.platform.redisUrl),
        prefix: this.platform.queueNamespace,
        concurrency: 10,
        limiter: { max: this.settings.ratePerSecond(channel), duration: 1_000 },
        lockDuration: this.settings.deliveryLockMs,
        stalledInterval: this.settings.deliveryLockMs,
      });
      // Redis going away is reported here; the worker reconnects by itself.
      worker.on('error', (error) =>
        this.logger.warn({ message: 'Delivery worker error', channel, error: String(error) }),
      );
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private async process(job: Job<DeliveryJob>): Promise<void> {
    const outcome = await this.sender.deliver(job.data.deliveryId);
    if (outcome.retry) throw outcome.error;
  }
}
