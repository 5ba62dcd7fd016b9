import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AccountClaims, eventually, TestSystem } from '@nrm/testing';

export const EXAMPLE_REFERRAL = JSON.parse(
  readFileSync(path.join(__dirname, '..', 'examples', 'referral.json'), 'utf8'),
) as Record<string, unknown> & { identity: Record<string, string>; narrative: string };

export interface ReferralView {
  id: string;
  status: string;
  responsibleProvince: string | null;
  history: { type: string; detail?: string; occurredAt: string }[];
}

/** Submits a referral as a case worker (by default the first demonstration case worker). */
export async function submitReferral(
  system: TestSystem,
  body: unknown = EXAMPLE_REFERRAL,
  headers: Record<string, string> = {},
  caseWorker: string | AccountClaims = 'case-worker',
): Promise<{ status: number; body: ReferralView }> {
  const response = await fetch(`${system.url('intake')}/referrals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await system.as(caseWorker)), ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as ReferralView };
}

export async function getReferral(
  system: TestSystem,
  id: string,
  caseWorker: string | AccountClaims = 'case-worker',
): Promise<ReferralView> {
  const response = await fetch(`${system.url('intake')}/referrals/${id}`, {
    headers: await system.as(caseWorker),
  });
  if (!response.ok) throw new Error(`GET /referrals/${id} answered ${response.status}`);
  return (await response.json()) as ReferralView;
}

export function untilNotified(
  system: TestSystem,
  id: string,
  timeoutMs = 30_000,
  caseWorker: string | AccountClaims = 'case-worker',
): Promise<ReferralView> {
  return eventually(async () => {
    const referral = await getReferral(system, id, caseWorker);
    return referral.status === 'notified' && referral.history.length >= 4 ? referral : undefined;
  }, timeoutMs);
}

/** Identifying values of the example person: none may appear in events, logs or notifications. */
export function identifyingValues(): string[] {
  return [...Object.values(EXAMPLE_REFERRAL.identity), EXAMPLE_REFERRAL.narrative, 'officer-1042'];
}

/** A provincial coordinator of a province. */
export const coordinatorOf = (provinceCode: string): AccountClaims => ({
  id: `coordinator-${provinceCode}`,
  role: 'coordinator',
  provinceCode,
});

/** A Thai man from a scam compound found in Nakhon Ratchasima who needs legal aid: two bodies can give it. */
export const THAI_IN_KORAT = {
  ...EXAMPLE_REFERRAL,
  found: { provinceCode: 'TH-30', district: 'Mueang', date: '2026-11-20' },
  person: {
    ...(EXAMPLE_REFERRAL.person as object),
    nationality: 'THA',
    languages: ['tha'],
    interpreterNeeded: false,
  },
  needs: {
    ...(EXAMPLE_REFERRAL.needs as object),
    dangerLevel: 'low',
    medical: 'none',
    shelter: false,
    interpreter: false,
  },
};
