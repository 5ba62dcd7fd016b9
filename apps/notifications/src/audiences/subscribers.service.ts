import { Injectable, NotFoundException } from '@nestjs/common';
import { NotificationsDatabase } from '../persistence/notifications-database.service';
import { Subscriber } from '../persistence/generated/client';
import { SubscriberPreferences } from './subscriber.dto';

@Injectable()
export class SubscribersService {
  constructor(private readonly db: NotificationsDatabase) {}

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
