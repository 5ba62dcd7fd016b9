/** Codes shared by referrals and the events about them. Values are stable identifiers. */
export const AGE_BANDS = ['0-11', '12-17', '18-24', '25-34', '35-44', '45-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const CHILD_AGE_BANDS: readonly AgeBand[] = ['0-11', '12-17'];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

export const CAME_TO_NOTICE_VIA = [
  'hotline-1300',
  'police-operation',
  'labour-inspection',
  'border-screening',
  'ngo-outreach',
  'online-report',
  'self-referral',
  'other',
] as const;

export const EXPLOITATION_TYPES = [
  'sexual',
  'forced-labour',
  'forced-criminality',
  'online-scam-compound',
  'forced-marriage',
  'organ-removal',
  'other',
] as const;

/** ISO 3166-1 alpha-3 nationality codes, plus XXA (stateless) and XXX (unknown), as in travel documents. */
export const NATIONALITY_PATTERN = /^[A-Z]{3}$/;
