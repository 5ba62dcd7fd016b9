import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PlatformSettings } from '@nrm/config';
import { bangkokDate, DailyJob } from '@nrm/scheduling';
import { SUPERVISORS } from '../audiences/audiences';
import { DeliveriesToQueue, DeliveryQueues } from '../delivery/delivery-queues';
import { DigestRow } from '../notices/notice-kinds';
import { NoticesService } from '../notices/notices.service';
import { NotificationsDatabase } from '../persistence/notifications-database.service';
import { nameBasedUuid } from '../notices/name-based-uuid';
import { NotificationSettings } from '../settings/notification-settings';

const DAY_MS = 24 * 3_600_000;
const WAITING_STATES = ['awaiting_acceptance', 'transfer_requested'];

/**
 * The supervisors' daily summary per province: new cases and missed deadlines
 * in the last 24 hours, and cases waiting for a province to accept them. A
 * BullMQ job scheduler runs it at DIGEST_TIME, Bangkok time. The digest of a
 * day is recorded once (its id is derived from the date), and a digest missed
 * while the service or Redis was down is sent when the service starts again.
 */
@Injectable()
export class DailyDigest implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DailyDigest.name);
  private readonly job: DailyJob;

  constructor(
    platform: PlatformSettings,
    private readonly settings: NotificationSettings,
    private readonly db: NotificationsDatabase,
    private readonly notices: NoticesService,
    private readonly queues: DeliveryQueues,
  ) {
    this.job = new DailyJob('daily-digest', platform, settings.digestTime, () => this.send(new Date()));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.job.start();
    await this.catchUp(new Date());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  /** The scheduler as Redis holds it, for operators and tests. */
  schedule() {
    return this.job.schedule();
  }

  /**
   * Records a digest of the 24 hours before `at` and queues its deliveries;
   * returns the notice id. The scheduled digest of a Bangkok day is recorded
   * once; one an operator asks for is always new.
   */
  async send(at: Date, occasion: 'scheduled' | 'requested' = 'scheduled'): Promise<string> {
    const date = bangkokDate(at);
    const eventId = occasion === 'scheduled' ? nameBasedUuid(`digest:${date}`) : randomUUID();
    const since = new Date(at.getTime() - DAY_MS);
    const queue = new DeliveriesToQueue();
    await this.db.$transaction(async (tx) => {
      const [opened, breached, waiting] = await Promise.all([
        tx.caseContact.groupBy({
          by: ['provinceCode'],
          where: { openedAt: { gte: since, lte: at } },
          _count: true,
        }),
        tx.notice.groupBy({
          by: ['provinceCode'],
          where: { kind: 'deadline.breached', audience: SUPERVISORS, createdAt: { gte: since, lte: at } },
          _count: true,
        }),
        tx.caseContact.groupBy({
          by: ['provinceCode'],
          where: { state: { in: WAITING_STATES } },
          _count: true,
        }),
      ]);
      const rows = new Map<string, DigestRow>();
      const row = (provinceCode: string | null) => {
        const code = provinceCode ?? 'unknown';
        if (!rows.has(code)) rows.set(code, { provinceCode: code, newCases: 0, breaches: 0, waiting: 0 });
        return rows.get(code) as DigestRow;
      };
      for (const group of opened) row(group.provinceCode).newCases = group._count;
      for (const group of breached) row(group.provinceCode).breaches = group._count;
      for (const group of waiting) row(group.provinceCode).waiting = group._count;
      const provinces = [...rows.values()].sort((a, b) => a.provinceCode.localeCompare(b.provinceCode));
      await this.notices.record(tx, queue, {
        eventId,
        caseId: null,
        audience: SUPERVISORS,
        kind: 'digest.daily',
        urgent: false,
        facts: { date, provinces },
      });
    });
    await this.queues.enqueue(queue.deliveries);
    const notice = await this.db.notice.findUniqueOrThrow({
      where: { eventId_audience: { eventId, audience: SUPERVISORS } },
    });
    this.logger.log({ message: 'Daily digest recorded', date, noticeId: notice.id });
    return notice.id;
  }

  /** Sends today's digest if its time has passed and it is not on record. */
  private async catchUp(now: Date): Promise<void> {
    const [hours, minutes] = this.settings.digestTime.split(':').map(Number);
    const today = bangkokDate(now);
    const dueToday = new Date(
      `${today}T${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}:00+07:00`,
    );
    if (now < dueToday) return;
    const eventId = nameBasedUuid(`digest:${today}`);
    const recorded = await this.db.notice.findUnique({
      where: { eventId_audience: { eventId, audience: SUPERVISORS } },
    });
    if (!recorded) await this.send(now);
  }
}
