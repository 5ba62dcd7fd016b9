import { EventEnvelope } from '@nrm/contracts';
import { SqlPart } from '@nrm/persistence';
import { IntakeTx } from '../persistence/intake-database.service';

type HistoryEntry = { event: EventEnvelope; detail?: string };

/** Adds an event to the referral's history, as the referrer sees it; `detail` names a lifecycle step. */
export function recordHistory(tx: IntakeTx, event: EventEnvelope, detail?: string): Promise<void> {
  return recordHistories(tx, [{ event, detail }]);
}

/** Adds events to their referrals' histories in one statement. */
export async function recordHistories(tx: IntakeTx, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const { text, values } = historyInsertion(entries);
  await tx.$executeRawUnsafe(text, ...values);
}

/** The statement that adds these entries, for `runAsOneStatement`. */
export function historyInsertion(entries: readonly HistoryEntry[]): SqlPart {
  return {
    text: `INSERT INTO referral_history (referral_id, event_id, type, detail, occurred_at)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
           RETURNING event_id`,
    values: [
      entries.map(({ event }) => event.caseId),
      entries.map(({ event }) => event.eventId),
      entries.map(({ event }) => event.type),
      entries.map(({ detail }) => detail ?? null),
      entries.map(({ event }) => event.occurredAt),
    ],
  };
}
