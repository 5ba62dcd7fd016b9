/**
 * Deadlines, quiet hours and daily jobs follow Thai time. Asia/Bangkok is
 * UTC+7 all year (no daylight saving since 1920), so local time is a fixed
 * shift of UTC.
 */
export const BANGKOK_TIME_ZONE = 'Asia/Bangkok';
export const BANGKOK_OFFSET_MS = 7 * 3_600_000;

/** `YYYY-MM-DD` of an instant's date in Bangkok. */
export function bangkokDate(instant: Date): string {
  return new Date(instant.getTime() + BANGKOK_OFFSET_MS).toISOString().slice(0, 10);
}
