import {
  CASE_EVENTS,
  CASE_STATES,
  CaseEvent,
  CaseSnapshot,
  CaseState,
  initialCase,
  transitionCase,
} from './case-machine';
import {
  SERVICE_REFERRAL_EVENTS,
  ServiceReferralEvent,
  ServiceReferralState,
  transitionServiceReferral,
} from './service-referral-machine';

/**
 * The shortest sequence of events from a new case to each reachable state
 * (with consent on record and a reason given): for model-based tests that walk
 * every (state, event) pair, and for tools that need to place a case in a state.
 */
export function shortestCasePaths(): Map<CaseState, CaseEvent[]> {
  const paths = new Map<CaseState, CaseEvent[]>([['awaiting_acceptance', []]]);
  const queue: { snapshot: CaseSnapshot; path: CaseEvent[] }[] = [{ snapshot: initialCase(), path: [] }];
  while (queue.length > 0) {
    const { snapshot, path } = queue.shift() as { snapshot: CaseSnapshot; path: CaseEvent[] };
    for (const event of CASE_EVENTS) {
      const outcome = transitionCase(snapshot, { event, reason: 'walk' }, { consentOrBestInterest: true });
      if (outcome.allowed && !paths.has(outcome.next.state)) {
        paths.set(outcome.next.state, [...path, event]);
        queue.push({ snapshot: outcome.next, path: [...path, event] });
      }
    }
  }
  for (const state of CASE_STATES)
    if (!paths.has(state)) throw new Error(`Case state ${state} is unreachable`);
  return paths;
}

export function shortestServiceReferralPaths(): Map<ServiceReferralState, ServiceReferralEvent[]> {
  const paths = new Map<ServiceReferralState, ServiceReferralEvent[]>([['offered', []]]);
  const queue: ServiceReferralState[] = ['offered'];
  while (queue.length > 0) {
    const state = queue.shift() as ServiceReferralState;
    for (const event of SERVICE_REFERRAL_EVENTS) {
      const outcome = transitionServiceReferral(state, { event, reason: 'other' });
      if (outcome.allowed && !paths.has(outcome.next)) {
        paths.set(outcome.next, [...(paths.get(state) ?? []), event]);
        queue.push(outcome.next);
      }
    }
  }
  return paths;
}
