import { Injectable } from '@nestjs/common';
import { ReferralDeadlineBreached } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { Deadline, DeadlineBreachHandler } from '@nrm/scheduling';
import { IntakeTx } from '../persistence/intake-database.service';
import { recordHistory } from './referral-history';
import { OPENING_DEADLINE } from './referrals.service';

/**
 * A referral not opened by any province in time has stalled between agencies:
 * it goes on the referral's history and out as an event for escalation.
 */
@Injectable()
export class OpeningDeadlineHandler implements DeadlineBreachHandler {
  readonly kinds = [OPENING_DEADLINE];

  constructor(private readonly outbox: OutboxWriter) {}

  async onBreach(tx: IntakeTx, deadline: Deadline): Promise<void> {
    const event = await this.outbox.append(tx, ReferralDeadlineBreached, {
      caseId: deadline.caseId,
      payload: {
        referralId: deadline.caseId,
        deadlineId: deadline.id,
        kind: deadline.kind,
        dueAt: deadline.dueAt.toISOString(),
      },
    });
    await recordHistory(tx, event);
  }
}
