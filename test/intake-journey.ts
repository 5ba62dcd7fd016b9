import { TestSystem } from '@nrm/testing';
import { EXAMPLE_REFERRAL } from './referral-journey';

// Test fixtures are mutated freely, field by field, to break one rule at a time.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Referral = Record<string, any>;

export interface FieldError {
  field: string;
  constraints: string[];
  message: string;
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  errors: FieldError[];
}

/** A fresh, valid copy of the example referral (an adult with recorded consent). */
export function exampleReferral(): Referral {
  return structuredClone(EXAMPLE_REFERRAL);
}

/** A valid referral of a child, with a best-interest decision standing in for consent. */
export function childReferral(): Referral {
  const referral = exampleReferral();
  referral.person.age = 15;
  delete referral.consent;
  referral.guardianOrBestInterest = {
    kind: 'best-interest-decision',
    recordedBy: 'social-worker-7',
    recordedAt: '2026-11-20T10:00:00+07:00',
  };
  return referral;
}

export async function post<T = ErrorBody>(
  system: TestSystem,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${system.url('intake')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await system.as('case-worker')), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Rows in intake's referral, outbox and deadline tables. */
export async function intakeCounts(system: TestSystem): Promise<Record<string, number>> {
  const [counts] = await system.sql<Record<string, number>>(
    `SELECT (SELECT count(*) FROM intake.referral)::int AS referrals,
            (SELECT count(*) FROM intake.outbox)::int AS outbox,
            (SELECT count(*) FROM intake.deadline)::int AS deadlines,
            (SELECT count(*) FROM intake.possible_duplicate)::int AS duplicates`,
  );
  return counts ?? {};
}
