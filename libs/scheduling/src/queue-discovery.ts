import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { redisConnection } from './redis-connection';

const META_SUFFIX = ':meta';

/** The job states operators watch, in the order BullMQ moves a job through them. */
export const WATCHED_JOB_STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;

/**
 * Every BullMQ queue under a Redis key prefix, found in Redis itself: BullMQ
 * writes a `<queue prefix>:<queue name>:meta` hash when a queue is created, and
 * a queue name has no colon. Under `nrm` that finds every service's queues
 * (`nrm:province:deadlines`); under `nrm:province`, one service's. Finding
 * them scans every key in Redis, so the answer is kept for `rediscoverAfterMs`.
 */
export class DiscoveredQueues {
  private readonly redis: Redis;
  private readonly queues = new Map<string, Queue>();
  private found: Queue[] = [];
  private discoveredAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly rediscoverAfterMs: number,
  ) {
    this.redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  /** The queues there now (or at most `rediscoverAfterMs` ago), each once, sorted by their full key prefix. */
  async list(): Promise<Queue[]> {
    if (Date.now() - this.discoveredAt < this.rediscoverAfterMs) return this.found;
    const keys = new Set<string>();
    for await (const batch of this.redis.scanStream({
      match: `${this.prefix}:*${META_SUFFIX}`,
      count: 1_000,
    })) {
      for (const key of batch as string[]) keys.add(key.slice(0, -META_SUFFIX.length));
    }
    this.found = [...keys].sort().map((queueKey) => this.queueAt(queueKey));
    this.discoveredAt = Date.now();
    return this.found;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.redis.disconnect();
  }

  private queueAt(queueKey: string): Queue {
    let queue = this.queues.get(queueKey);
    if (!queue) {
      const separator = queueKey.lastIndexOf(':');
      queue = new Queue(queueKey.slice(separator + 1), {
        connection: redisConnection(this.redisUrl),
        prefix: queueKey.slice(0, separator),
        skipMetasUpdate: true,
      });
      this.queues.set(queueKey, queue);
    }
    return queue;
  }
}
