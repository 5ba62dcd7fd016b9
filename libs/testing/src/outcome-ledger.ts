import { Client } from 'pg';

/**
 * Where every acknowledged referral should have got to: notified (routed, opened in the province,
 * the notifications recorded) and in the supervisors' national picture.
 */
export interface ExpectedOutcome {
  /** Each case's acceptance deadline has fallen due, so each must have been breached, and escalated once. */
  acceptanceDeadlinesBreached?: boolean;
}

export interface Outcome {
  referrals: number;
  /** Acknowledged referrals that did not reach the expected state. */
  lost: string[];
  /** Each kind of effect that happened more than once, with how many times too many. */
  duplicated: Record<string, number>;
}

/** Effects that must happen exactly once per referral (or per deadline, or per delivery), by what repeats them. */
const ONCE_ONLY: Record<string, string> = {
  'referral history entries': `
    SELECT count(*) - count(DISTINCT (referral_id, type, detail)) AS extra
    FROM intake.referral_history WHERE referral_id = ANY($1::uuid[])`,
  'routed events': `
    SELECT count(*) - count(DISTINCT key) AS extra
    FROM routing.outbox WHERE type = 'referral.routed' AND key = ANY($1::text[])`,
  'opened events': `
    SELECT count(*) - count(DISTINCT key) AS extra
    FROM province.outbox WHERE type = 'case.opened' AND key = ANY($1::text[])`,
  'escalations per deadline': `
    SELECT count(*) - count(DISTINCT (key, envelope->'payload'->>'deadlineKind')) AS extra
    FROM province.outbox
    WHERE type = 'case.escalated' AND key = ANY($1::text[]) AND envelope->'payload' ? 'deadlineKind'`,
  'notices per case, kind and audience': `
    SELECT count(*) - count(DISTINCT (case_id, kind, audience)) AS extra
    FROM notifications.notice
    WHERE case_id = ANY($1::uuid[]) AND kind IN ('case.opened', 'deadline.breached')`,
  'messages sent per delivery': `
    SELECT count(*) - count(DISTINCT attempt.delivery_id) AS extra
    FROM notifications.delivery_attempt attempt
    JOIN notifications.delivery delivery ON delivery.id = attempt.delivery_id
    JOIN notifications.notice notice ON notice.id = delivery.notice_id
    WHERE notice.case_id = ANY($1::uuid[]) AND attempt.outcome IN ('sent', 'delivered')`,
};

/**
 * Counts, from every service's own tables, which acknowledged referrals did not
 * get where they should (lost) and which effects happened twice (duplicated).
 * Read by a test or a benchmark after the fact, never by a service.
 */
export async function outcomeOf(
  databaseUrl: string,
  referralIds: readonly string[],
  expected: ExpectedOutcome = {},
): Promise<Outcome> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const ids = [...referralIds];
    const reached = await client.query<{ id: string }>(
      `SELECT referral.id FROM intake.referral referral
       WHERE referral.id = ANY($1::uuid[]) AND referral.status = 'notified'
         AND (NOT $2 OR EXISTS (
           SELECT 1 FROM province.deadline deadline
           WHERE deadline.case_id = referral.id AND deadline.kind = 'provincial-acceptance'
             AND deadline.status = 'breached'))
         AND EXISTS (
           SELECT 1 FROM oversight.case_summary summary
           WHERE summary.case_id = referral.id AND summary.state NOT IN ('received', 'routed')
             AND (NOT $2 OR summary.breaches > 0))`,
      [ids, expected.acceptanceDeadlinesBreached ?? false],
    );
    const reachedIds = new Set(reached.rows.map((row) => row.id));
    const duplicated: Record<string, number> = {};
    for (const [effect, query] of Object.entries(ONCE_ONLY)) {
      const { rows } = await client.query<{ extra: string }>(query, [ids]);
      const extra = Number(rows[0]?.extra ?? 0);
      if (extra > 0) duplicated[effect] = extra;
    }
    return { referrals: ids.length, lost: ids.filter((id) => !reachedIds.has(id)), duplicated };
  } finally {
    await client.end();
  }
}

export function duplicatedCount(outcome: Outcome): number {
  return Object.values(outcome.duplicated).reduce((sum, extra) => sum + extra, 0);
}
