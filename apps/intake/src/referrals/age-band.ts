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

export function isAgeBand(value: string): value is AgeBand {
  return (AGE_BANDS as readonly string[]).includes(value);
}

/** A child is anyone under 18. */
export function isChildBand(band: AgeBand): boolean {
  return CHILD_AGE_BANDS.includes(band);
}
