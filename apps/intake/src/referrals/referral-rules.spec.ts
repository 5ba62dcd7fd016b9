import { notInFuture } from './referral-rules';

describe('dates not in the future', () => {
  const now = Date.parse('2026-11-21T18:00:00Z'); // already 22 November in Thailand

  it('takes a date as a date in Thailand', () => {
    expect(notInFuture('2026-11-22', now)).toBe(true);
    expect(notInFuture('2026-11-23', now)).toBe(false);
  });

  it('allows a few minutes of clock skew for date-times', () => {
    expect(notInFuture('2026-11-21T18:04:00Z', now)).toBe(true);
    expect(notInFuture('2026-11-22T01:00:00+07:00', now)).toBe(true);
    expect(notInFuture('2026-11-21T18:10:00Z', now)).toBe(false);
  });

  it('leaves unparseable values to the format rules', () => {
    expect(notInFuture('not a date', now)).toBe(true);
    expect(notInFuture(42, now)).toBe(true);
  });
});
