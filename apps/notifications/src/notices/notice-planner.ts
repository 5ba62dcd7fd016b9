import { Injectable } from '@nestjs/common';
import {
  CaseDeadlineUpdated,
  CaseEscalatedPayload,
  CaseOpened,
  CaseOpenedPayload,
  CaseTransitionedPayload,
  EventContract,
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
import { jsonRecords } from '@nrm/persistence';

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

  /** The case workers who referred are told of their cases' milestones later: one statement for all. */
  async referralsSubmitted(
    tx: NotificationsTx,
    events: readonly EventEnvelope<ReferralSubmittedPayload>[],
  ): Promise<void> {
    const referrers = new Map(
      events.map((event) => [
        event.caseId,
        {
          caseId: event.caseId,
          referrerAccountId: event.actor.role === 'system' ? null : event.actor.id,
          provinceCode: event.payload.foundInProvince,
        },
      ]),
    );
    if (referrers.size === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO case_contact (case_id, referrer_account_id, province_code, updated_at)
       SELECT "caseId", "referrerAccountId", "provinceCode", now()
         FROM ${jsonRecords('$1', `"caseId" uuid, "referrerAccountId" text, "provinceCode" text`)} AS contact
       ON CONFLICT (case_id) DO UPDATE SET referrer_account_id = EXCLUDED.referrer_account_id, updated_at = now()`,
      JSON.stringify([...referrers.values()]),
    );
  }

  /**
   * Keeps what a group of case events tells of its cases and deadlines, in one
   * statement each for the whole group, and follows the deadlines so that a
   * reminder goes out before one passes: call before planning the events one
   * by one, which reads it.
   */
  async keepTrack(
    tx: NotificationsTx,
    changes: DeadlineChanges,
    events: readonly EventEnvelope[],
  ): Promise<void> {
    await this.casesOpened(tx, ofType(events, CaseOpened));
    const deadlineUpdates = ofType(events, CaseDeadlineUpdated);
    await this.reminders.watch(tx, deadlineUpdates);
    await this.reminders.follow(tx, changes, deadlineUpdates);
  }

  /** The opened cases' province, urgency and state. */
  private async casesOpened(
    tx: NotificationsTx,
    events: readonly EventEnvelope<CaseOpenedPayload>[],
  ): Promise<void> {
    const opened = new Map(
      events.map((event) => [
        event.caseId,
        {
          caseId: event.caseId,
          provinceCode: event.payload.provinceCode,
          urgent: event.payload.urgency === 'urgent',
          openedAt: event.occurredAt,
        },
      ]),
    );
    if (opened.size === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO case_contact (case_id, province_code, state, urgent, opened_at, updated_at)
       SELECT "caseId", "provinceCode", 'awaiting_acceptance', urgent, "openedAt", now()
         FROM ${jsonRecords(
           '$1',
           `"caseId" uuid, "provinceCode" text, urgent boolean,
              "openedAt" timestamptz`,
         )} AS contact
       ON CONFLICT (case_id) DO UPDATE SET province_code = EXCLUDED.province_code, state = EXCLUDED.state,
         urgent = EXCLUDED.urgent, opened_at = EXCLUDED.opened_at, updated_at = now()`,
      JSON.stringify([...opened.values()]),
    );
  }

  /** The province's coordinators are told of a new case; `keepTrack` has recorded its contact. */
  caseOpened(notices: NoticesToRecord, event: EventEnvelope<CaseOpenedPayload>): void {
    const { provinceCode } = event.payload;
    notices.add(
      {
        ...this.about(event, provinceCode),
        audience: provinceCoordinators(provinceCode),
        kind: 'case.opened',
        urgent: event.payload.urgency === 'urgent',
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

  private about(event: EventEnvelope, provinceCode: string) {
    return { eventId: event.eventId, caseId: event.caseId, provinceCode };
  }
}

function ofType<P>(events: readonly EventEnvelope[], contract: EventContract<P>): EventEnvelope<P>[] {
  return events.filter((event) => event.type === contract.type) as EventEnvelope<P>[];
}
