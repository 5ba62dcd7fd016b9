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

/** Suspected sectors of forced labour (domain notes, "Screening content"). */
export const FORCED_LABOUR_SECTORS = [
  'agriculture',
  'fishing-aquaculture',
  'construction',
  'domestic-work',
  'hospitality',
  'manufacturing',
  'begging',
  'other',
] as const;

/** The ILO's eleven indicators of forced labour. */
export const FORCED_LABOUR_INDICATORS = [
  'abuse-of-vulnerability',
  'deception',
  'restricted-movement',
  'isolation',
  'physical-sexual-violence',
  'intimidation-threats',
  'retained-identity-documents',
  'withheld-wages',
  'debt-bondage',
  'abusive-conditions',
  'excessive-overtime',
] as const;

/** Methods of control of the Human Trafficking Case Data Standard (HTCDS). */
export const METHODS_OF_CONTROL = [
  'debt-bondage',
  'taking-earnings',
  'restricting-finances',
  'threats',
  'psychological-abuse',
  'physical-abuse',
  'sexual-abuse',
  'false-promises',
  'substances',
  'restricting-movement',
  'restricting-medical-care',
  'excessive-hours',
  'using-children',
  'threat-of-law-enforcement',
  'withholding-necessities',
  'withholding-documents',
] as const;

export const CONTACT_CHANNELS = ['phone', 'email', 'line', 'in-person'] as const;

export const IMMIGRATION_DOCUMENT_STATUSES = [
  'has-valid-documents',
  'documents-withheld',
  'expired',
  'none',
  'unknown',
] as const;

export const DISABILITY_KINDS = [
  'physical',
  'visual',
  'hearing',
  'speech',
  'intellectual',
  'psychosocial',
  'other',
] as const;

/** Genders for whom a pregnancy may be recorded. */
export const PREGNANCY_GENDERS: readonly string[] = ['female', 'other', 'unknown'];

export const DANGER_LEVELS = ['none', 'low', 'high', 'immediate'] as const;
export type DangerLevel = (typeof DANGER_LEVELS)[number];

export const MEDICAL_NEEDS = ['none', 'non-urgent', 'urgent'] as const;
export type MedicalNeed = (typeof MEDICAL_NEEDS)[number];

/** What stands in for a child's consent. */
export const CHILD_CONSENT_BASES = ['guardian-consent', 'best-interest-decision'] as const;

/** ISO 639-3 language codes (three lower-case letters). */
export const LANGUAGE_PATTERN = /^[a-z]{3}$/;
