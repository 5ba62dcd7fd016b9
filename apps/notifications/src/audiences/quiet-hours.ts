import { BANGKOK_OFFSET_MS } from '@nrm/scheduling';

const BANGKOK_OFFSET_MINUTES = BANGKOK_OFFSET_MS / 60_000;
const MINUTES_PER_DAY = 24 * 60;

function minutesOf(timeOfDay: string): number {
  const [hours, minutes] = timeOfDay.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * When a message that may wait should be sent: now, or the end of the
 * recipient's quiet hours (Bangkok time; the hours may span midnight).
 */
export function afterQuietHours(
  quiet: { quietFrom: string | null; quietUntil: string | null },
  now: Date,
): Date {
  if (!quiet.quietFrom || !quiet.quietUntil) return now;
  const from = minutesOf(quiet.quietFrom);
  const until = minutesOf(quiet.quietUntil);
  if (from === until) return now;
  const nowMinutes = Math.floor(now.getTime() / 60_000);
  const localMinute =
    (((nowMinutes + BANGKOK_OFFSET_MINUTES) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  const inQuietHours =
    from < until ? localMinute >= from && localMinute < until : localMinute >= from || localMinute < until;
  if (!inQuietHours) return now;
  const wait = (until - localMinute + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return new Date((nowMinutes + wait) * 60_000);
}
