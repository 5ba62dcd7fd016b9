import { TransitionOutcome } from './case-machine';

/**
 * A service referral (an offer of one service to one organisation), modelled
 * on Primero's referrals: offered → accepted | declined | expired | revoked;
 * accepted → in progress → done, successfully or not (with a reason).
 */
export const SERVICE_REFERRAL_STATES = [
  'offered',
  'accepted',
  'declined',
  'expired',
  'revoked',
  'in_progress',
  'done_successful',
  'done_unsuccessful',
] as const;
export type ServiceReferralState = (typeof SERVICE_REFERRAL_STATES)[number];

export const OPEN_SERVICE_REFERRAL_STATES: readonly ServiceReferralState[] = [
  'offered',
  'accepted',
  'in_progress',
];

/** Why a service ended without success (Primero's list). */
export const UNSUCCESSFUL_REASONS = [
  'client-refused',
  'lack-of-capacity',
  'unreachable',
  'no-longer-needed',
  'other',
] as const;

interface ServiceRule {
  readonly from: readonly ServiceReferralState[];
  readonly to: ServiceReferralState;
  readonly requiresReason?: boolean;
  readonly reasonCodes?: readonly string[];
}

export const SERVICE_REFERRAL_TRANSITIONS = {
  accept: { from: ['offered'], to: 'accepted' },
  decline: { from: ['offered'], to: 'declined', requiresReason: true },
  expire: { from: ['offered'], to: 'expired' },
  revoke: { from: ['offered', 'accepted'], to: 'revoked', requiresReason: true },
  start: { from: ['accepted'], to: 'in_progress' },
  complete_successfully: { from: ['in_progress'], to: 'done_successful' },
  complete_unsuccessfully: {
    from: ['in_progress'],
    to: 'done_unsuccessful',
    requiresReason: true,
    reasonCodes: UNSUCCESSFUL_REASONS,
  },
} as const satisfies Record<string, ServiceRule>;

export type ServiceReferralEvent = keyof typeof SERVICE_REFERRAL_TRANSITIONS;
export const SERVICE_REFERRAL_EVENTS = Object.keys(SERVICE_REFERRAL_TRANSITIONS) as ServiceReferralEvent[];

export function transitionServiceReferral(
  state: ServiceReferralState,
  command: { event: ServiceReferralEvent; reason?: string },
): TransitionOutcome<ServiceReferralState> {
  const rule: ServiceRule | undefined = (SERVICE_REFERRAL_TRANSITIONS as Record<string, ServiceRule>)[
    command.event
  ];
  if (!rule) return { allowed: false, refusal: `Unknown event '${command.event}'` };
  if (!rule.from.includes(state)) {
    return {
      allowed: false,
      refusal: `'${command.event}' is not possible when the service referral is '${state}'`,
    };
  }
  const reason = command.reason?.trim();
  if (rule.requiresReason && !reason) return { allowed: false, refusal: `'${command.event}' needs a reason` };
  if (rule.reasonCodes && reason && !rule.reasonCodes.includes(reason)) {
    return { allowed: false, refusal: `The reason must be one of: ${rule.reasonCodes.join(', ')}` };
  }
  return { allowed: true, from: state, to: rule.to, next: rule.to };
}
