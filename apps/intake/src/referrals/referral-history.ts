import { EventEnvelope } from '@nrm/contracts';
import { IntakeTx } from '../persistence/intake-database.service';

/** Adds an event to the referral's history, as the referrer sees it; `detail` names a lifecycle step. */
export function recordHistory(tx: IntakeTx, event: EventEnvelope, detail?: string): Promise<void> {
  return recordHistories(tx, [{ event, detail }]);
}

/** Adds events to their referrals' histories in one statement. */
export async function recordHistories(
  tx: IntakeTx,
  entries: readonly { event: EventEnvelope; detail?: string }[],
): Promise<void> {
  if (entries.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO referral_history (referral_id, event_id, type, detail, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])`,
    entries.map(({ event }) => event.caseId),
    entries.map(({ event }) => event.eventId),
    entries.map(({ event }) => event.type),
    entries.map(({ detail }) => detail ?? null),
    entries.map(({ event }) => event.occurredAt),
  );
}
