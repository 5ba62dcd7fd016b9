import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { Metrics } from '@nrm/observability';
import { DiscoveredQueues, WATCHED_JOB_STATES } from './queue-discovery';

/** A service's queues are few and change only with a release: a new one shows within this time. */
const REDISCOVER_QUEUES_AFTER_MS = 5 * 60_000;

/**
 * Jobs in each of the service's BullMQ queues by state, counted in Redis when
 * Prometheus scrapes, and deadline breaches by kind as they are claimed.
 */
@Injectable()
export class SchedulingMetrics implements OnApplicationShutdown {
  private readonly queues: DiscoveredQueues;
  private readonly breaches;

  constructor(settings: PlatformSettings, metrics: Metrics) {
    this.queues = new DiscoveredQueues(
      settings.redisUrl,
      settings.queueNamespace,
      REDISCOVER_QUEUES_AFTER_MS,
    );
    this.breaches = metrics.counter({
      name: 'nrm_deadline_breaches_total',
      help: 'Deadlines that passed unmet and were handled as breached, by kind',
      labelNames: ['kind'] as const,
    });
    metrics.gaugeOnScrape(
      {
        name: 'nrm_queue_jobs',
        help: "Jobs in each of the service's BullMQ queues, by state",
        labelNames: ['queue', 'state'] as const,
      },
      async (gauge) => {
        for (const queue of await this.queues.list()) {
          const counts = await queue.getJobCounts(...WATCHED_JOB_STATES);
          for (const state of WATCHED_JOB_STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }

  deadlineBreached(kind: string): void {
    this.breaches.inc({ kind });
  }
}
