import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  CaseOpened,
  CaseTransitioned,
  CaseTransitionedPayload,
  EventEnvelope,
  NotificationRecorded,
  NotificationRecordedPayload,
  ReferralRouted,
  ReferralRoutedPayload,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { AfterCommit, EventConsumer, onEach } from '@nrm/messaging';
import { Deadlines } from '@nrm/scheduling';
import { IntakeTx } from '../persistence/intake-database.service';
import { OPENING_DEADLINE, ReferralProgress, ReferralsService } from './referrals.service';

const CONSUMER = 'intake.referral-progress';

/**
 * Keeps the referrer's view of each referral current from the other services'
 * events; the events that share a transaction are applied together.
 */
@Controller()
export class ReferralProgressConsumer {
  /** Most notices are for others than the province: they change nothing here, and are passed by. */
  private readonly handlers = onEach(
    [ReferralRouted, CaseOpened, CaseTransitioned, NotificationRecorded],
    (tx: IntakeTx, events) => this.apply(tx, events),
    (event) => progressOf(event).length > 0,
  );

  constructor(
    private readonly events: EventConsumer<IntakeTx>,
    private readonly referrals: ReferralsService,
    private readonly deadlines: Deadlines,
  ) {}

  @EventPattern(topicOf(Streams.routing))
  async onRouting(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(CONSUMER, context, this.handlers);
  }

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(CONSUMER, context, this.handlers);
  }

  @EventPattern(topicOf(Streams.notification))
  async onNotification(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume(CONSUMER, context, this.handlers);
  }

  private async apply(tx: IntakeTx, events: EventEnvelope[]): Promise<AfterCommit> {
    await this.referrals.project(tx, events.flatMap(progressOf));
    const opened = events.filter((event) => event.type === CaseOpened.type).map((event) => event.caseId);
    const settled = await this.deadlines.meet(tx, opened, OPENING_DEADLINE);
    return () => this.deadlines.unschedule(settled);
  }
}

/** What an event changes in the referrer's view; nothing for notices to others than the province. */
function progressOf(event: EventEnvelope): ReferralProgress[] {
  const change = {
    referralId: event.caseId,
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    progress: null,
    responsibleProvince: null,
    caseState: null,
    detail: null,
  };
  switch (event.type) {
    case ReferralRouted.type: {
      const { responsibleProvince } = event.payload as ReferralRoutedPayload;
      return [{ ...change, progress: 'routed', responsibleProvince }];
    }
    case CaseOpened.type:
      return [{ ...change, progress: 'opened' }];
    case CaseTransitioned.type: {
      const { provinceCode, track, to, event: step } = event.payload as CaseTransitionedPayload;
      return [
        {
          ...change,
          responsibleProvince: provinceCode,
          caseState: track === 'case' ? to : null,
          detail: `${step}: ${to}`,
        },
      ];
    }
    case NotificationRecorded.type:
      // The referrer follows the province being told of the case; later notices are for others.
      return (event.payload as NotificationRecordedPayload).kind === 'case.opened'
        ? [{ ...change, progress: 'notified' }]
        : [];
    default:
      return [];
  }
}
