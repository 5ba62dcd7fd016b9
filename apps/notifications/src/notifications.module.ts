import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { NOTIFICATION_FIELDS } from './audiences/subscriber-fields';
import { SubscribersController } from './audiences/subscribers.controller';
import { SubscribersService } from './audiences/subscribers.service';
import { Channels } from './channels/channels';
import { DeliveriesController } from './delivery/deliveries.controller';
import { DeliveryQueues } from './delivery/delivery-queues';
import { DeliverySender } from './delivery/delivery-sender';
import { DeliveryWorkers } from './delivery/delivery.workers';
import { DailyDigest } from './digest/daily-digest';
import { DigestController } from './digest/digest.controller';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { NoticePlanner } from './notices/notice-planner';
import { NoticesConsumer } from './notices/notices.consumer';
import { NoticesService } from './notices/notices.service';
import { NotificationsDatabase } from './persistence/notifications-database.service';
import { DeadlineReminders } from './reminders/deadline-reminders';
import { NotificationSettings } from './settings/notification-settings';
import { WebhookEndpointsController } from './webhooks/webhook-endpoints.controller';

@Module({
  imports: [
    PlatformModule.forService({
      service: 'notifications',
      database: NotificationsDatabase,
      fields: NOTIFICATION_FIELDS,
      deadlineBreachHandlers: [DeadlineReminders],
    }),
  ],
  controllers: [
    NoticesConsumer,
    InboxController,
    DeliveriesController,
    SubscribersController,
    WebhookEndpointsController,
    DigestController,
  ],
  providers: [
    NotificationSettings,
    SubscribersService,
    NoticesService,
    NoticePlanner,
    DeadlineReminders,
    Channels,
    DeliveryQueues,
    DeliverySender,
    DeliveryWorkers,
    DailyDigest,
    InboxService,
  ],
})
export class NotificationsModule {}
