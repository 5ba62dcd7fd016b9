import { EventEnvelope } from '@nrm/contracts';
import { IntakeTx } from '../persistence/intake-database.service';

/** Adds an event to the referral's history, as the referrer sees it; `detail` names a lifecycle step. */
export async function recordHistory(tx: IntakeTx, event: EventEnvelope, detail?: string): Promise<void> {
  await tx.referralHistory.create({
    data: {
      referralId: event.caseId,
      eventId: event.eventId,
      type: event.type,
      detail: detail ?? null,
      occurredAt: new Date(event.occurredAt),
    },
  });
}
