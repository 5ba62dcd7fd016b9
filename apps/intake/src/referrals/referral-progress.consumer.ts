import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import {
  CaseOpened,
  CaseTransitioned,
  NotificationRecorded,
  ReferralRouted,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { Deadlines } from '@nrm/scheduling';
import { IntakeTx } from '../persistence/intake-database.service';
import { OPENING_DEADLINE, ReferralsService } from './referrals.service';

/** Keeps the referrer's view of each referral current from the other services' events. */
@Controller()
export class ReferralProgressConsumer {
  constructor(
    private readonly events: EventConsumer<IntakeTx>,
    private readonly referrals: ReferralsService,
    private readonly deadlines: Deadlines,
  ) {}

  @EventPattern(topicOf(Streams.routing))
  async onRouting(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('intake.referral-progress', context, [
      on(ReferralRouted, (tx: IntakeTx, event) =>
        this.referrals.project(tx, event, 'routed', event.payload.responsibleProvince),
      ),
    ]);
  }

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    let settled: string[] = [];
    await this.events.consume('intake.referral-progress', context, [
      on(CaseOpened, async (tx: IntakeTx, event) => {
        await this.referrals.project(tx, event, 'opened');
        settled = await this.deadlines.meet(tx, event.caseId, OPENING_DEADLINE);
      }),
      on(CaseTransitioned, (tx: IntakeTx, event) =>
        this.referrals.project(tx, event, null, event.payload.provinceCode, {
          ...(event.payload.track === 'case' ? { caseState: event.payload.to } : {}),
          detail: `${event.payload.event}: ${event.payload.to}`,
        }),
      ),
    ]);
    await this.deadlines.unschedule(settled);
  }

  @EventPattern(topicOf(Streams.notification))
  async onNotification(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('intake.referral-progress', context, [
      // The referrer follows the province being told of the case; later notices are for others.
      on(NotificationRecorded, async (tx: IntakeTx, event) => {
        if (event.payload.kind === 'case.opened') await this.referrals.project(tx, event, 'notified');
      }),
    ]);
  }
}
