import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  CaseDeadlineUpdated,
  CaseEscalated,
  CaseEscalatedPayload,
  CaseOpened,
  CaseOpenedPayload,
  CaseTransitioned,
  CaseTransitionedPayload,
  EventEnvelope,
  ReferralSubmitted,
  ReferralSubmittedPayload,
  ServiceReferralTransitioned,
  ServiceReferralTransitionedPayload,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { AfterCommit, EventConsumer, onEach } from '@nrm/messaging';
import { DeadlineChanges, Deadlines } from '@nrm/scheduling';
import { DeliveryQueues } from '../delivery/delivery-queues';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { NoticePlanner } from './notice-planner';
import { NoticesService, NoticesToRecord } from './notices.service';

/**
 * Turns workflow events into notices, then queues their deliveries once the
 * notices have committed. The case events that share a transaction are
 * planned one by one and their notices recorded together.
 */
@Controller()
export class NoticesConsumer {
  private readonly caseHandlers = onEach(
    [CaseOpened, CaseTransitioned, CaseEscalated, ServiceReferralTransitioned, CaseDeadlineUpdated],
    (tx: NotificationsTx, events) => this.applyCaseEvents(tx, events),
  );

  /** The referrers of referrals submitted together are recorded together. */
  private readonly referrers = onEach([ReferralSubmitted], (tx: NotificationsTx, events) =>
    this.planner.referralsSubmitted(tx, events as EventEnvelope<ReferralSubmittedPayload>[]),
  );

  constructor(
    private readonly events: EventConsumer<NotificationsTx>,
    private readonly planner: NoticePlanner,
    private readonly notices: NoticesService,
    private readonly queues: DeliveryQueues,
    private readonly deadlines: Deadlines,
  ) {}

  @EventPattern(topicOf(Streams.referral))
  async onReferral(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('notifications.referrers', context, this.referrers);
  }

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('notifications.notices', context, this.caseHandlers);
  }

  private async applyCaseEvents(tx: NotificationsTx, events: EventEnvelope[]): Promise<AfterCommit> {
    const notices = new NoticesToRecord();
    const changes = new DeadlineChanges();
    await this.planner.keepTrack(tx, changes, events);
    for (const event of events) await this.plan(tx, notices, event);
    const deliveries = await this.notices.recordAll(tx, notices.planned);
    return async () => {
      await this.queues.enqueue(deliveries);
      await this.deadlines.apply(changes);
    };
  }

  private async plan(tx: NotificationsTx, notices: NoticesToRecord, event: EventEnvelope): Promise<void> {
    // The consumer checked each payload against its contract before handing the event over.
    switch (event.type) {
      case CaseOpened.type:
        return this.planner.caseOpened(notices, event as EventEnvelope<CaseOpenedPayload>);
      case CaseTransitioned.type:
        return this.planner.caseTransitioned(tx, notices, event as EventEnvelope<CaseTransitionedPayload>);
      case CaseEscalated.type:
        return this.planner.caseEscalated(notices, event as EventEnvelope<CaseEscalatedPayload>);
      case ServiceReferralTransitioned.type:
        return this.planner.serviceReferralTransitioned(
          tx,
          notices,
          event as EventEnvelope<ServiceReferralTransitionedPayload>,
        );
    }
  }
}
