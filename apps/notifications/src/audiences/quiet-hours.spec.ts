import { afterQuietHours } from './quiet-hours';

describe('afterQuietHours', () => {
  const overnight = { quietFrom: '22:00', quietUntil: '07:00' };

  it.each([
    ['before the quiet hours start', '2026-11-22T14:59:00Z', '2026-11-22T14:59:00Z'],
    ['at 22:00 Bangkok, as they start', '2026-11-22T15:00:00Z', '2026-11-23T00:00:00Z'],
    ['just before midnight Bangkok', '2026-11-22T16:59:30Z', '2026-11-23T00:00:00Z'],
    ['just after midnight Bangkok', '2026-11-22T17:30:00Z', '2026-11-23T00:00:00Z'],
    ['at 07:00 Bangkok, as they end', '2026-11-23T00:00:00Z', '2026-11-23T00:00:00Z'],
    ['in the working day', '2026-11-23T05:00:00Z', '2026-11-23T05:00:00Z'],
  ])('%s', (_when, now, expected) => {
    expect(afterQuietHours(overnight, new Date(now)).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('handles quiet hours within one day', () => {
    const lunch = { quietFrom: '12:00', quietUntil: '13:00' };
    expect(afterQuietHours(lunch, new Date('2026-11-23T05:30:00Z')).toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    );
    expect(afterQuietHours(lunch, new Date('2026-11-23T06:00:00Z')).toISOString()).toBe(
      '2026-11-23T06:00:00.000Z',
    );
  });

  it('sends at once without quiet hours', () => {
    const now = new Date('2026-11-22T16:00:00Z');
    expect(afterQuietHours({ quietFrom: null, quietUntil: null }, now)).toBe(now);
  });
});
