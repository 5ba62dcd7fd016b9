import { BANGKOK_OFFSET_MS } from '@nrm/scheduling';

/** Due times are in Thai time (see BANGKOK_OFFSET_MS). */
const DAY_MS = 86_400_000;

export const DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days', 'working_days', 'months'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

const FIXED_MS: Partial<Record<DurationUnit, number>> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: DAY_MS,
};

function isWorkingDay(local: Date, holidays: ReadonlySet<string>): boolean {
  const weekday = local.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(local.toISOString().slice(0, 10));
}

/**
 * The instant `amount` units after `from`. Working days skip Saturdays,
 * Sundays and the holidays given, landing at the same Bangkok time of day;
 * months keep the day of the month where it exists (31 Jan + 1 month = 28 or 29 Feb).
 */
export function addDuration(
  from: Date,
  amount: number,
  unit: DurationUnit,
  holidays: ReadonlySet<string> = new Set(),
): Date {
  const fixed = FIXED_MS[unit];
  if (fixed) return new Date(from.getTime() + amount * fixed);
  const local = new Date(from.getTime() + BANGKOK_OFFSET_MS);
  if (unit === 'months') {
    const day = local.getUTCDate();
    local.setUTCDate(1);
    local.setUTCMonth(local.getUTCMonth() + amount);
    const lastDay = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 0)).getUTCDate();
    local.setUTCDate(Math.min(day, lastDay));
  } else {
    let remaining = amount;
    while (remaining > 0) {
      local.setTime(local.getTime() + DAY_MS);
      if (isWorkingDay(local, holidays)) remaining -= 1;
    }
  }
  return new Date(local.getTime() - BANGKOK_OFFSET_MS);
}
