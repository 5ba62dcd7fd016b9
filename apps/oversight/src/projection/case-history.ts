import { CASE_STATES } from '@nrm/case-lifecycle';

/** Before the province opens a case it is `received` (intake) and then `routed`; then it follows the case lifecycle. */
export const OVERSIGHT_STATES = ['received', 'routed', ...CASE_STATES] as const;

/** The states in which a case is over; a case in any other state is open. */
export const ENDED_STATES: readonly string[] = ['closed', 'withdrawn'];

export const UNKNOWN_RISK_GROUP = 'unknown';

/** One stored event of a case, as `case_event` holds it. */
export interface CaseEventFact {
  eventId: string;
  occurredAt: Date;
  rank: number;
  provinceCode: string | null;
  riskGroup: string | null;
  state: string | null;
  breachedKind: string | null;
}

export interface CaseStanding {
  provinceCode: string | null;
  state: string;
  riskGroup: string;
  receivedAt: Date;
  lastChangedAt: Date;
  breaches: number;
  stays: { stage: string; enteredAt: Date; leftAt: Date | null }[];
}

/**
 * The order events of one case happened in: by time, then (within one
 * millisecond) in causal order, then by id, so that every arrival order gives
 * the same sequence.
 */
export function inHistoryOrder(events: readonly CaseEventFact[]): CaseEventFact[] {
  return [...events].sort(
    (a, b) =>
      a.occurredAt.getTime() - b.occurredAt.getTime() ||
      a.rank - b.rank ||
      (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0),
  );
}

/**
 * Where a case stands, from the whole set of its events: a pure function of
 * that set, so applying events in any order, or again, gives the same result.
 */
export function standingOf(events: readonly CaseEventFact[]): CaseStanding {
  const history = inHistoryOrder(events);
  if (history.length === 0) throw new Error('A case has at least one event');
  let provinceCode: string | null = null;
  let riskGroup: string = UNKNOWN_RISK_GROUP;
  let state = 'received';
  const stays: CaseStanding['stays'] = [];
  for (const event of history) {
    provinceCode = event.provinceCode ?? provinceCode;
    riskGroup = event.riskGroup ?? riskGroup;
    if (event.state === null || event.state === stays.at(-1)?.stage) continue;
    const current = stays.at(-1);
    if (current) current.leftAt = event.occurredAt;
    stays.push({ stage: event.state, enteredAt: event.occurredAt, leftAt: null });
    state = event.state;
  }
  return {
    provinceCode,
    state,
    riskGroup,
    receivedAt: history[0].occurredAt,
    lastChangedAt: history[history.length - 1].occurredAt,
    breaches: history.filter((event) => event.breachedKind !== null).length,
    stays,
  };
}
