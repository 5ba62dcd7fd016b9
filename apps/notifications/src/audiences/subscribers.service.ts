import { Injectable, NotFoundException } from '@nestjs/common';
import { NotificationsDatabase, NotificationsTx } from '../persistence/notifications-database.service';
import { Subscriber } from '../persistence/generated/client';
import { membersWhere } from './audiences';
import { SubscriberPreferences } from './subscriber.dto';

@Injectable()
export class SubscribersService {
  constructor(private readonly db: NotificationsDatabase) {}

  /** The active subscribers an audience reaches today. */
  members(tx: NotificationsTx, audience: string): Promise<Subscriber[]> {
    const where = membersWhere(audience);
    if (!where) return Promise.resolve([]);
    return tx.subscriber.findMany({ where: { ...where, active: true }, orderBy: { accountId: 'asc' } });
  }

  async find(accountId: string): Promise<Subscriber> {
    const subscriber = await this.db.subscriber.findUnique({ where: { accountId } });
    if (!subscriber) throw new NotFoundException(`No subscriber ${accountId}`);
    return subscriber;
  }

  async setPreferences(accountId: string, preferences: SubscriberPreferences): Promise<Subscriber> {
    await this.find(accountId);
    return this.db.subscriber.update({
      where: { accountId },
      data: {
        language: preferences.language,
        channels: preferences.channels,
        email: preferences.email ?? null,
        phone: preferences.phone ?? null,
        lineUserId: preferences.lineUserId ?? null,
        quietFrom: preferences.quietFrom ?? null,
        quietUntil: preferences.quietUntil ?? null,
      },
    });
  }
}
