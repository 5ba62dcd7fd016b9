import { CaseEventFact, standingOf } from './case-history';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 0, minutes));
const event = (id: string, minutes: number, facts: Partial<CaseEventFact>): CaseEventFact => ({
  eventId: `00000000-0000-4000-8000-00000000000${id}`,
  occurredAt: at(minutes),
  rank: 3,
  provinceCode: null,
  riskGroup: null,
  state: null,
  breachedKind: null,
  ...facts,
});

/** A case routed to Tak, opened in the same millisecond, accepted, a deadline missed, then moved to Bangkok. */
const HISTORY = [
  event('1', 0, { rank: 0, state: 'received', provinceCode: 'TH-30' }),
  event('2', 1, { rank: 1, state: 'routed', provinceCode: 'TH-63', riskGroup: 'A' }),
  event('3', 1, { rank: 2, state: 'awaiting_acceptance', provinceCode: 'TH-63', riskGroup: 'A' }),
  event('4', 90, { breachedKind: 'provincial-acceptance', provinceCode: 'TH-63' }),
  event('5', 120, { state: 'accepted', provinceCode: 'TH-10' }),
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('standingOf', () => {
  it('derives where a case stands and its stays', () => {
    expect(standingOf(HISTORY)).toEqual({
      provinceCode: 'TH-10',
      state: 'accepted',
      riskGroup: 'A',
      receivedAt: at(0),
      lastChangedAt: at(120),
      breaches: 1,
      stays: [
        { stage: 'received', enteredAt: at(0), leftAt: at(1) },
        { stage: 'routed', enteredAt: at(1), leftAt: at(1) },
        { stage: 'awaiting_acceptance', enteredAt: at(1), leftAt: at(120) },
        { stage: 'accepted', enteredAt: at(120), leftAt: null },
      ],
    });
  });

  it('gives the same result whatever order the events arrived in', () => {
    const expected = standingOf(HISTORY);
    for (const order of permutations(HISTORY)) expect(standingOf(order)).toEqual(expected);
  });

  it('knows a case seen only through a later event, until its first events arrive', () => {
    expect(standingOf([HISTORY[3]])).toMatchObject({ state: 'received', riskGroup: 'unknown', breaches: 1 });
  });
});
