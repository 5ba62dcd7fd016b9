import { bangkokDate } from '@nrm/scheduling';
import { addDuration } from './working-time';

describe('addDuration', () => {
  const friday5pmBangkok = new Date('2026-12-04T10:00:00Z');

  it('skips weekends and holidays for working days, at the same Bangkok time', () => {
    // 5 Dec 2026 (Saturday) is Father's Day, substituted on Monday 7 Dec; 10 Dec is Constitution Day.
    const holidays = new Set(['2026-12-05', '2026-12-07', '2026-12-10']);
    const due = addDuration(friday5pmBangkok, 3, 'working_days', holidays);
    expect(due.toISOString()).toBe('2026-12-11T10:00:00.000Z');
    expect(addDuration(friday5pmBangkok, 1, 'working_days').toISOString()).toBe('2026-12-07T10:00:00.000Z');
  });

  it('counts working days by the Bangkok date, not the UTC one', () => {
    // 23:30 on Friday in Bangkok is still Friday afternoon in UTC.
    const lateFriday = new Date('2026-12-04T16:30:00Z');
    expect(bangkokDate(lateFriday)).toBe('2026-12-04');
    expect(addDuration(lateFriday, 1, 'working_days').toISOString()).toBe('2026-12-07T16:30:00.000Z');
  });

  it('adds calendar months, keeping the day where the month has it', () => {
    expect(addDuration(new Date('2026-01-31T03:00:00Z'), 1, 'months').toISOString()).toBe(
      '2026-02-28T03:00:00.000Z',
    );
    expect(addDuration(new Date('2026-03-15T03:00:00Z'), 12, 'months').toISOString()).toBe(
      '2027-03-15T03:00:00.000Z',
    );
  });

  it('adds fixed units exactly', () => {
    expect(addDuration(friday5pmBangkok, 2, 'hours').getTime() - friday5pmBangkok.getTime()).toBe(7_200_000);
    expect(addDuration(friday5pmBangkok, 90, 'seconds').getTime() - friday5pmBangkok.getTime()).toBe(90_000);
  });
});
