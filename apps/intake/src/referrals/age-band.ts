import { AGE_BANDS, AgeBand, CHILD_AGE_BANDS } from '@nrm/contracts';

const LOWER_BOUNDS: [number, AgeBand][] = [
  [60, '60+'],
  [45, '45-59'],
  [35, '35-44'],
  [25, '25-34'],
  [18, '18-24'],
  [12, '12-17'],
  [0, '0-11'],
];

export function ageBandOf(age: number): AgeBand {
  return (LOWER_BOUNDS.find(([lower]) => age >= lower) ?? LOWER_BOUNDS[LOWER_BOUNDS.length - 1])[1];
}

export function isAgeBand(value: unknown): value is AgeBand {
  return (AGE_BANDS as readonly unknown[]).includes(value);
}

/** A child is anyone under 18. */
export function isChildBand(band: AgeBand): boolean {
  return CHILD_AGE_BANDS.includes(band);
}

function isValidAge(age: unknown): age is number {
  return Number.isInteger(age) && (age as number) >= 0 && (age as number) <= 120;
}

/**
 * The person's age band from a valid age or band, the age winning; undefined
 * when neither is valid or the two disagree (validation reports which).
 */
export function resolveAgeBand(age: unknown, ageBand: unknown): AgeBand | undefined {
  const fromAge = isValidAge(age) ? ageBandOf(age) : undefined;
  const given = isAgeBand(ageBand) ? ageBand : undefined;
  if (fromAge && given && fromAge !== given) return undefined;
  if (age !== undefined && !fromAge) return undefined;
  return fromAge ?? given;
}

/** Whether an age and an age band agree; a missing one agrees with anything. */
export function ageAgreesWithBand(age: unknown, ageBand: unknown): boolean {
  return !isValidAge(age) || !isAgeBand(ageBand) || ageBandOf(age) === ageBand;
}

/** Bands equal or next to each other (a guessed band is often one off). */
export function adjacentBands(a: AgeBand, b: AgeBand): boolean {
  return Math.abs(AGE_BANDS.indexOf(a) - AGE_BANDS.indexOf(b)) <= 1;
}
