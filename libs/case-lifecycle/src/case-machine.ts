/**
 * The provincial case lifecycle under the NRM, as one declarative transition
 * table. The province coordination service applies it; intake and the console
 * only read it. Legal proceedings run as a parallel track beside the main one.
 */
export const CASE_STATES = [
  'awaiting_acceptance',
  'transfer_requested',
  'accepted',
  'temporary_protection',
  'identification',
  'identified_victim',
  'not_victim',
  'protection',
  'reintegration',
  'follow_up',
  'closure_requested',
  'closed',
  'withdrawn',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const LEGAL_STATES = ['none', 'active', 'concluded'] as const;
export type LegalState = (typeof LEGAL_STATES)[number];

export interface CaseSnapshot {
  state: CaseState;
  legal: LegalState;
  /** Where a rejected closure or a declined transfer returns to. */
  resumeState: CaseState | null;
}

/** Facts a guard needs that are not part of the state itself. */
export interface CaseFacts {
  /** The person consented to sharing with service providers, or (for a child) a best-interest decision is recorded. */
  consentOrBestInterest: boolean;
}

export interface CaseCommand {
  event: CaseEvent;
  reason?: string;
}

type Guard = 'consent';

interface TransitionRule {
  readonly track: 'case' | 'legal';
  readonly from: readonly string[];
  /** 'resume' returns to the snapshot's resume state. */
  readonly to: string;
  readonly requiresReason?: boolean;
  readonly guard?: Guard;
  /** This transition remembers the current state to resume later. */
  readonly remembers?: boolean;
}

const ACTIVE: readonly CaseState[] = [
  'accepted',
  'temporary_protection',
  'identification',
  'identified_victim',
  'not_victim',
  'protection',
  'reintegration',
  'follow_up',
];

/** States in which services may be offered: the province has taken the case and it is not over. */
export const SERVICE_STATES: readonly CaseState[] = ACTIVE.filter((state) => state !== 'not_victim');

/** Legal proceedings may run once a person has been identified, until the case closes. */
const LEGAL_OPEN: readonly CaseState[] = [
  'identified_victim',
  'protection',
  'reintegration',
  'follow_up',
  'closure_requested',
];

export const CASE_TRANSITIONS = {
  accept: { track: 'case', from: ['awaiting_acceptance'], to: 'accepted' },
  request_transfer: {
    track: 'case',
    from: ['awaiting_acceptance'],
    to: 'transfer_requested',
    requiresReason: true,
    remembers: true,
  },
  accept_transfer: { track: 'case', from: ['transfer_requested'], to: 'accepted' },
  decline_transfer: { track: 'case', from: ['transfer_requested'], to: 'resume', requiresReason: true },
  start_temporary_protection: { track: 'case', from: ['accepted'], to: 'temporary_protection' },
  start_identification: { track: 'case', from: ['accepted', 'temporary_protection'], to: 'identification' },
  identify_as_victim: { track: 'case', from: ['identification'], to: 'identified_victim' },
  identify_as_not_victim: { track: 'case', from: ['identification'], to: 'not_victim', requiresReason: true },
  start_protection: { track: 'case', from: ['identified_victim'], to: 'protection', guard: 'consent' },
  start_reintegration: { track: 'case', from: ['identified_victim', 'protection'], to: 'reintegration' },
  start_follow_up: { track: 'case', from: ['reintegration'], to: 'follow_up' },
  request_closure: {
    track: 'case',
    from: ACTIVE,
    to: 'closure_requested',
    requiresReason: true,
    remembers: true,
  },
  approve_closure: { track: 'case', from: ['closure_requested'], to: 'closed' },
  reject_closure: { track: 'case', from: ['closure_requested'], to: 'resume', requiresReason: true },
  reopen: { track: 'case', from: ['closed'], to: 'accepted', requiresReason: true },
  withdraw: {
    track: 'case',
    from: ['awaiting_acceptance', 'accepted', 'temporary_protection', 'identification'],
    to: 'withdrawn',
    requiresReason: true,
  },
  start_legal_proceedings: { track: 'legal', from: ['none'], to: 'active' },
  conclude_legal_proceedings: { track: 'legal', from: ['active'], to: 'concluded' },
} as const satisfies Record<string, TransitionRule>;

export type CaseEvent = keyof typeof CASE_TRANSITIONS;
export const CASE_EVENTS = Object.keys(CASE_TRANSITIONS) as CaseEvent[];

export type TransitionOutcome<S, Extra = unknown> =
  ({ allowed: true; next: S; from: string; to: string } & Extra) | { allowed: false; refusal: string };

export type CaseTransitionOutcome = TransitionOutcome<CaseSnapshot, { track: 'case' | 'legal' }>;

export function initialCase(): CaseSnapshot {
  return { state: 'awaiting_acceptance', legal: 'none', resumeState: null };
}

/** Applies one event to a case, or says exactly why it may not. Pure: no I/O. */
export function transitionCase(
  snapshot: CaseSnapshot,
  command: CaseCommand,
  facts: CaseFacts,
): CaseTransitionOutcome {
  const rule: TransitionRule | undefined = (CASE_TRANSITIONS as Record<string, TransitionRule>)[
    command.event
  ];
  if (!rule) return { allowed: false, refusal: `Unknown event '${command.event}'` };
  const current = rule.track === 'case' ? snapshot.state : snapshot.legal;
  if (!rule.from.includes(current)) {
    return {
      allowed: false,
      refusal: `'${command.event}' is not possible when the ${rule.track === 'case' ? 'case' : 'legal track'} is '${current}'`,
    };
  }
  if (rule.track === 'legal' && !LEGAL_OPEN.includes(snapshot.state)) {
    return {
      allowed: false,
      refusal: `Legal proceedings cannot be recorded when the case is '${snapshot.state}'`,
    };
  }
  if (rule.requiresReason && !command.reason?.trim()) {
    return { allowed: false, refusal: `'${command.event}' needs a reason` };
  }
  if (rule.guard === 'consent' && !facts.consentOrBestInterest) {
    return {
      allowed: false,
      refusal: 'Protection and assistance need the person’s consent, or for a child a best-interest decision',
    };
  }
  if (rule.track === 'legal') {
    return {
      allowed: true,
      track: 'legal',
      from: current,
      to: rule.to,
      next: { ...snapshot, legal: rule.to as LegalState },
    };
  }
  const to = rule.to === 'resume' ? snapshot.resumeState : (rule.to as CaseState);
  if (!to) return { allowed: false, refusal: `'${command.event}' has no state to return to` };
  return {
    allowed: true,
    track: 'case',
    from: current,
    to,
    next: {
      state: to,
      legal: snapshot.legal,
      resumeState: rule.remembers ? snapshot.state : rule.to === 'resume' ? null : snapshot.resumeState,
    },
  };
}
