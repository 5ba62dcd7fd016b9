import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { PlatformSettings } from '@nrm/config';
import { BANGKOK_TIME_ZONE } from './bangkok-time';
import { redisConnection } from './redis-connection';

/** The cron pattern (seconds first) for a Bangkok time of day given as HH:MM. */
export function dailyPattern(timeOfDay: string): string {
  const [hours, minutes] = timeOfDay.split(':').map(Number);
  return `0 ${minutes} ${hours} * * *`;
}

/**
 * A job that runs once a day at a Bangkok time of day, through a BullMQ job
 * scheduler in the service's own queue prefix. The scheduler lives in Redis and
 * is set again at every start, so Redis losing its data loses at most one run;
 * the work itself must be safe to run again.
 */
export class DailyJob {
  private readonly logger: Logger;
  private readonly queue: Queue;
  private readonly worker: Worker;

  constructor(
    private readonly name: string,
    settings: PlatformSettings,
    private readonly timeOfDay: string,
    work: () => Promise<unknown>,
  ) {
    this.logger = new Logger(`DailyJob ${name}`);
    const options = {
      connection: redisConnection(settings.redisUrl),
      prefix: settings.queueNamespace,
    };
    this.queue = new Queue(name, options);
    this.worker = new Worker(name, async () => void (await work()), { ...options, autorun: false });
    this.worker.on('error', (error) =>
      this.logger.warn({ message: 'Daily job worker error', error: String(error) }),
    );
  }

  async start(): Promise<void> {
    await this.queue.upsertJobScheduler(
      this.name,
      { pattern: dailyPattern(this.timeOfDay), tz: BANGKOK_TIME_ZONE },
      { name: this.name },
    );
    void this.worker.run();
  }

  async stop(): Promise<void> {
    await this.worker.close();
    await this.queue.close();
  }

  /** The scheduler as Redis holds it, for operators and tests. */
  async schedule(): Promise<
    { pattern?: string | null; tz?: string | null; next?: number | null } | undefined
  > {
    const scheduler = await this.queue.getJobScheduler(this.name);
    return scheduler ? { pattern: scheduler.pattern, tz: scheduler.tz, next: scheduler.next } : undefined;
  }
}
