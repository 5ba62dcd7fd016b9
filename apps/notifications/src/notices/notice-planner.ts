import { Injectable } from '@nestjs/common';
import {
  CaseDeadlineUpdatedPayload,
  CaseEscalatedPayload,
  CaseOpenedPayload,
  CaseTransitionedPayload,
  EventEnvelope,
  ReferralSubmittedPayload,
  ServiceReferralTransitionedPayload,
} from '@nrm/contracts';
import { DeadlineChanges } from '@nrm/scheduling';
import { account, organisationMembers, provinceCoordinators, SUPERVISORS } from '../audiences/audiences';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { DeadlineReminders } from '../reminders/deadline-reminders';
import { NoticeKind } from './notice-kinds';
import { NoticesToRecord } from './notices.service';

/** What the referring case worker hears about: the milestones of the case they referred. */
const REFERRER_MILESTONES: Partial<Record<string, NoticeKind>> = {
  accepted: 'case.accepted',
  identified_victim: 'case.identified',
  closed: 'case.closed',
};

/**
 * Who is told what, event by event. Also keeps what this service must know of
 * each case (responsible province, referrer, state, offers) to address later
 * notices and count the digest.
 */
@Injectable()
export class NoticePlanner {
  constructor(private readonly reminders: DeadlineReminders) {}

  /** The case worker who referred is told of the case's milestones later. */
  async referralSubmitted(
    tx: NotificationsTx,
    event: EventEnvelope<ReferralSubmittedPayload>,
  ): Promise<void> {
    const referrer = event.actor.role === 'system' ? null : event.actor.id;
    await tx.caseContact.upsert({
      where: { caseId: event.caseId },
      create: {
        caseId: event.caseId,
        referrerAccountId: referrer,
        provinceCode: event.payload.foundInProvince,
      },
      update: { referrerAccountId: referrer },
    });
  }

  async caseOpened(
    tx: NotificationsTx,
    notices: NoticesToRecord,
    event: EventEnvelope<CaseOpenedPayload>,
  ): Promise<void> {
    const { provinceCode } = event.payload;
    const urgent = event.payload.urgency === 'urgent';
    const opened = {
      provinceCode,
      state: 'awaiting_acceptance',
      urgent,
      openedAt: new Date(event.occurredAt),
    };
    await tx.caseContact.upsert({
      where: { caseId: event.caseId },
      create: { caseId: event.caseId, ...opened },
      update: opened,
    });
    notices.add(
      {
        ...this.about(event, provinceCode),
        audience: provinceCoordinators(provinceCode),
        kind: 'case.opened',
        urgent,
        facts: { provinceCode },
      },
      event,
    );
  }

  async caseTransitioned(
    tx: NotificationsTx,
    notices: NoticesToRecord,
    event: EventEnvelope<CaseTransitionedPayload>,
  ): Promise<void> {
    const { provinceCode, transferTo, to, track } = event.payload;
    if (track !== 'case') return;
    const contact = await tx.caseContact.upsert({
      where: { caseId: event.caseId },
      create: { caseId: event.caseId, provinceCode, state: to },
      update: { provinceCode, state: to },
    });
    if (event.payload.event === 'request_transfer' && transferTo) {
      notices.add(
        {
          ...this.about(event, provinceCode),
          audience: provinceCoordinators(transferTo),
          kind: 'case.transfer-requested',
          urgent: contact.urgent,
          facts: { provinceCode, transferTo },
        },
        event,
      );
    }
    const milestone = REFERRER_MILESTONES[to];
    if (milestone && contact.referrerAccountId) {
      notices.add(
        {
          ...this.about(event, provinceCode),
          audience: account(contact.referrerAccountId),
          kind: milestone,
          urgent: false,
          facts: { provinceCode },
        },
        event,
      );
    }
  }

  /** An escalation reaches the province's coordinators and the supervisors at once, quiet hours or not. */
  caseEscalated(notices: NoticesToRecord, event: EventEnvelope<CaseEscalatedPayload>): void {
    const { provinceCode, reason, deadlineKind, service } = event.payload;
    const kind: NoticeKind = reason === 'deadline-breached' ? 'deadline.breached' : 'service.unavailable';
    const facts = {
      provinceCode,
      ...(deadlineKind ? { deadlineKind } : {}),
      ...(service ? { service } : {}),
    };
    for (const audience of [provinceCoordinators(provinceCode), SUPERVISORS]) {
      notices.add({ ...this.about(event, provinceCode), audience, kind, urgent: true, facts }, event);
    }
  }

  async serviceReferralTransitioned(
    tx: NotificationsTx,
    notices: NoticesToRecord,
    event: EventEnvelope<ServiceReferralTransitionedPayload>,
  ): Promise<void> {
    const { serviceReferralId, organisationId, service, provinceCode, to } = event.payload;
    const kind: NoticeKind | undefined =
      to === 'offered' ? 'service-offer.received' : to === 'expired' ? 'service-offer.expired' : undefined;
    if (!kind) return;
    if (to === 'offered') {
      const offer = { caseId: event.caseId, organisationId, service };
      await tx.offerContact.upsert({
        where: { serviceReferralId },
        create: { serviceReferralId, ...offer },
        update: offer,
      });
    }
    const contact = await tx.caseContact.findUnique({ where: { caseId: event.caseId } });
    notices.add(
      {
        ...this.about(event, provinceCode),
        audience: organisationMembers(organisationId),
        kind,
        urgent: contact?.urgent ?? false,
        facts: { provinceCode, service, organisationId },
      },
      event,
    );
  }

  /** Deadlines are followed so that a reminder goes out before one passes. */
  deadlineUpdated(
    tx: NotificationsTx,
    changes: DeadlineChanges,
    event: EventEnvelope<CaseDeadlineUpdatedPayload>,
  ): Promise<void> {
    return this.reminders.follow(tx, changes, event);
  }

  private about(event: EventEnvelope, provinceCode: string) {
    return { eventId: event.eventId, caseId: event.caseId, provinceCode };
  }
}
