import { initialCase, transitionCase } from './case-machine';
import { shortestCasePaths, shortestServiceReferralPaths } from './paths';
import { SERVICE_REFERRAL_STATES, transitionServiceReferral } from './service-referral-machine';

describe('the case lifecycle', () => {
  it('reaches every state from a new case', () => {
    expect(shortestCasePaths().get('closed')).toEqual(['accept', 'request_closure', 'approve_closure']);
  });

  it('returns to the state it left when a closure is rejected or a transfer declined', () => {
    const facts = { consentOrBestInterest: true };
    let snapshot = initialCase();
    for (const event of [
      'accept',
      'start_identification',
      'identify_as_victim',
      'request_closure',
    ] as const) {
      const outcome = transitionCase(snapshot, { event, reason: 'r' }, facts);
      if (!outcome.allowed) throw new Error(outcome.refusal);
      snapshot = outcome.next;
    }
    const rejected = transitionCase(
      snapshot,
      { event: 'reject_closure', reason: 'plan not finished' },
      facts,
    );
    expect(rejected.allowed && rejected.next).toEqual({
      state: 'identified_victim',
      legal: 'none',
      resumeState: null,
    });
  });

  it('refuses protection without consent or a best-interest decision, and steps that need a reason without one', () => {
    const identified = { state: 'identified_victim' as const, legal: 'none' as const, resumeState: null };
    expect(
      transitionCase(identified, { event: 'start_protection' }, { consentOrBestInterest: false }),
    ).toEqual({
      allowed: false,
      refusal: 'Protection and assistance need the person’s consent, or for a child a best-interest decision',
    });
    expect(
      transitionCase(identified, { event: 'request_closure', reason: '  ' }, { consentOrBestInterest: true }),
    ).toEqual({
      allowed: false,
      refusal: "'request_closure' needs a reason",
    });
  });

  it('runs legal proceedings as a parallel track once a person is identified', () => {
    const facts = { consentOrBestInterest: true };
    const accepted = { state: 'accepted' as const, legal: 'none' as const, resumeState: null };
    expect(transitionCase(accepted, { event: 'start_legal_proceedings' }, facts).allowed).toBe(false);
    const protectedCase = { ...accepted, state: 'protection' as const };
    const started = transitionCase(protectedCase, { event: 'start_legal_proceedings' }, facts);
    expect(started.allowed && started.next).toEqual({
      state: 'protection',
      legal: 'active',
      resumeState: null,
    });
  });
});

describe('service referrals', () => {
  it('reach every state from an offer', () => {
    expect([...shortestServiceReferralPaths().keys()].sort()).toEqual([...SERVICE_REFERRAL_STATES].sort());
  });

  it('end unsuccessfully only with a reason from the list', () => {
    expect(
      transitionServiceReferral('in_progress', { event: 'complete_unsuccessfully', reason: 'because' }),
    ).toEqual({
      allowed: false,
      refusal:
        'The reason must be one of: client-refused, lack-of-capacity, unreachable, no-longer-needed, other',
    });
    expect(
      transitionServiceReferral('in_progress', { event: 'complete_unsuccessfully', reason: 'unreachable' }),
    ).toMatchObject({
      allowed: true,
      next: 'done_unsuccessful',
    });
  });
});
