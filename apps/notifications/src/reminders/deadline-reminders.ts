import { Injectable } from '@nestjs/common';
import { CaseDeadlineUpdatedPayload, EventEnvelope } from '@nrm/contracts';
import { jsonRecords, SqlExecutor } from '@nrm/persistence';
import {
  AfterBreach,
  Deadline,
  DeadlineBreachHandler,
  DeadlineChanges,
  Deadlines,
  NewDeadline,
} from '@nrm/scheduling';
import { organisationMembers, provinceCoordinators } from '../audiences/audiences';
import { DeliveriesToQueue, DeliveryQueues } from '../delivery/delivery-queues';
import { nameBasedUuid } from '../notices/name-based-uuid';
import { NoticesService } from '../notices/notices.service';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { NotificationSettings } from '../settings/notification-settings';

const REMINDER = 'reminder';
const OFFER_RESPONSE = 'offer-response';

/**
 * Reminders before the province's deadlines pass: when most of the time
 * allowed has gone (REMINDER_AT_FRACTION), the people who must act are told.
 * Each reminder is a deadline of this service's own, so it survives restarts
 * and Redis losing its data like every other deadline.
 */
@Injectable()
export class DeadlineReminders implements DeadlineBreachHandler {
  readonly kinds = [REMINDER];

  constructor(
    private readonly settings: NotificationSettings,
    private readonly deadlines: Deadlines,
    private readonly notices: NoticesService,
    private readonly queues: DeliveryQueues,
  ) {}

  /**
   * Keeps each deadline's latest state, which a reminder reads when it fires:
   * one statement for a group's updates. Call before `follow`.
   */
  async watch(
    tx: NotificationsTx,
    events: readonly EventEnvelope<CaseDeadlineUpdatedPayload>[],
  ): Promise<void> {
    // The recordset takes the columns it names from each payload and ignores its other fields.
    const latest = new Map(events.map(({ caseId, payload }) => [payload.deadlineId, { ...payload, caseId }]));
    if (latest.size === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO watched_deadline (deadline_id, case_id, kind, subject_id, province_code, due_at, status)
       SELECT "deadlineId", "caseId", kind, "subjectId", "provinceCode", "dueAt", status
         FROM ${jsonRecords(
           '$1',
           `"deadlineId" uuid, "caseId" uuid, kind text, "subjectId" uuid,
              "provinceCode" text, "dueAt" timestamptz, status text`,
         )} AS watched
       ON CONFLICT (deadline_id) DO UPDATE SET case_id = EXCLUDED.case_id, kind = EXCLUDED.kind,
         subject_id = EXCLUDED.subject_id, province_code = EXCLUDED.province_code, due_at = EXCLUDED.due_at,
         status = EXCLUDED.status`,
      JSON.stringify([...latest.values()]),
    );
  }

  /**
   * Sets, moves or cancels the reminders of updated deadlines, each as its
   * latest update in the group says; `watch` has recorded the updates. The
   * reminders set are written in one statement.
   */
  async follow(
    tx: NotificationsTx,
    changes: DeadlineChanges,
    events: readonly EventEnvelope<CaseDeadlineUpdatedPayload>[],
  ): Promise<void> {
    const latest = new Map(events.map((event) => [event.payload.deadlineId, event]));
    const reminders: NewDeadline[] = [];
    for (const event of latest.values()) {
      const { deadlineId, status } = event.payload;
      if (status !== 'pending') {
        changes.settled.push(
          ...(await this.deadlines.settle(tx, event.caseId, [REMINDER], {
            subjectId: deadlineId,
            as: 'cancelled',
          })),
        );
        continue;
      }
      const dueAt = new Date(event.payload.dueAt);
      const setAt = new Date(event.occurredAt).getTime();
      const remindAt = new Date(
        Math.max(Date.now(), setAt + this.settings.reminderAtFraction * (dueAt.getTime() - setAt)),
      );
      if (remindAt < dueAt)
        reminders.push({ caseId: event.caseId, kind: REMINDER, subjectId: deadlineId, dueAt: remindAt });
    }
    await this.deadlines.rearm(tx, changes, reminders);
  }

  async onBreach(tx: SqlExecutor, reminder: Deadline): Promise<AfterBreach | void> {
    const db = tx as NotificationsTx;
    const watched = await db.watchedDeadline.findUnique({ where: { deadlineId: reminder.subjectId } });
    if (watched?.status !== 'pending') return;
    const queue = new DeliveriesToQueue();
    const dueAt = watched.dueAt.toISOString();
    const contact = await db.caseContact.findUnique({ where: { caseId: watched.caseId } });
    const occasion = {
      eventId: nameBasedUuid(`reminder:${watched.deadlineId}:${dueAt}`),
      caseId: watched.caseId,
      provinceCode: watched.provinceCode,
      urgent: contact?.urgent ?? false,
    };
    const offer =
      watched.kind === OFFER_RESPONSE
        ? await db.offerContact.findUnique({ where: { serviceReferralId: watched.subjectId } })
        : null;
    if (offer) {
      await this.notices.record(db, queue, {
        ...occasion,
        audience: organisationMembers(offer.organisationId),
        kind: 'service-offer.reminder',
        facts: {
          provinceCode: watched.provinceCode,
          service: offer.service,
          deadlineKind: watched.kind,
          dueAt,
        },
      });
    } else {
      await this.notices.record(db, queue, {
        ...occasion,
        audience: provinceCoordinators(watched.provinceCode),
        kind: 'deadline.near',
        facts: { provinceCode: watched.provinceCode, deadlineKind: watched.kind, dueAt },
      });
    }
    return () => this.queues.enqueue(queue.deliveries);
  }
}
