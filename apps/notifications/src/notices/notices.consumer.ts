import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  CaseDeadlineUpdated,
  CaseEscalated,
  CaseOpened,
  CaseTransitioned,
  ReferralSubmitted,
  ServiceReferralTransitioned,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { DeadlineChanges, Deadlines } from '@nrm/scheduling';
import { DeliveriesToQueue, DeliveryQueues } from '../delivery/delivery-queues';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { NoticePlanner } from './notice-planner';

/** Turns workflow events into notices, then queues their deliveries once the notices have committed. */
@Controller()
export class NoticesConsumer {
  constructor(
    private readonly events: EventConsumer<NotificationsTx>,
    private readonly planner: NoticePlanner,
    private readonly queues: DeliveryQueues,
    private readonly deadlines: Deadlines,
  ) {}

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('notifications.referrers', context, [
      on(ReferralSubmitted, (tx: NotificationsTx, event) => this.planner.referralSubmitted(tx, event)),
    ]);
  }

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    const queue = new DeliveriesToQueue();
    const changes = new DeadlineChanges();
    await this.events.consume('notifications.notices', context, [
      on(CaseOpened, (tx: NotificationsTx, event) => this.planner.caseOpened(tx, queue, event)),
      on(CaseTransitioned, (tx: NotificationsTx, event) => this.planner.caseTransitioned(tx, queue, event)),
      on(CaseEscalated, (tx: NotificationsTx, event) => this.planner.caseEscalated(tx, queue, event)),
      on(ServiceReferralTransitioned, (tx: NotificationsTx, event) =>
        this.planner.serviceReferralTransitioned(tx, queue, event),
      ),
      on(CaseDeadlineUpdated, (tx: NotificationsTx, event) =>
        this.planner.deadlineUpdated(tx, changes, event),
      ),
    ]);
    await this.queues.enqueue(queue.deliveries);
    await this.deadlines.apply(changes);
  }
}
