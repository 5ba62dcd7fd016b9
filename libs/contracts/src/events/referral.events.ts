import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
} from 'class-validator';
import { defineEvent } from '../contract';
import { PROVINCE_CODES } from '../reference/provinces';
import {
  AGE_BANDS,
  CAME_TO_NOTICE_VIA,
  DANGER_LEVELS,
  EXPLOITATION_TYPES,
  FORCED_LABOUR_INDICATORS,
  FORCED_LABOUR_SECTORS,
  GENDERS,
  LANGUAGE_PATTERN,
  MEDICAL_NEEDS,
  METHODS_OF_CONTROL,
  NATIONALITY_PATTERN,
} from '../reference/screening';
import { Streams } from '../streams';

/**
 * What downstream services may know of a new referral: codes, bands and flags.
 * The person's identity and the narrative stay encrypted in intake.
 */
export class ReferralSubmittedPayload {
  @IsUUID()
  referralId!: string;

  @IsIn(PROVINCE_CODES)
  foundInProvince!: string;

  @IsISO8601({ strict: true })
  foundOn!: string;

  @IsIn(AGE_BANDS)
  ageBand!: string;

  @IsBoolean()
  isChild!: boolean;

  @IsIn(GENDERS)
  gender!: string;

  @Matches(NATIONALITY_PATTERN)
  nationality!: string;

  @IsArray()
  @ArrayMaxSize(EXPLOITATION_TYPES.length)
  @IsIn(EXPLOITATION_TYPES, { each: true })
  exploitationTypes!: string[];

  @IsIn(CAME_TO_NOTICE_VIA)
  cameToNoticeVia!: string;

  @IsString()
  @Length(1, 100)
  referrerOrganisation!: string;

  /** The person agreed that their case may be shared with service providers. */
  @IsBoolean()
  consentToShare!: boolean;

  /** The person agreed to be contacted later (follow-up). */
  @IsBoolean()
  consentToContact!: boolean;

  /** For a child: a guardian's consent or a best-interest decision is on record (stands in for consent). */
  @IsBoolean()
  childBestInterestRecorded!: boolean;

  /** The sector when forced labour is suspected, else null. */
  @ValidateIf((payload: ReferralSubmittedPayload) => payload.forcedLabourSector !== null)
  @IsIn(FORCED_LABOUR_SECTORS)
  forcedLabourSector!: string | null;

  @IsArray()
  @ArrayMaxSize(FORCED_LABOUR_INDICATORS.length)
  @IsIn(FORCED_LABOUR_INDICATORS, { each: true })
  forcedLabourIndicators!: string[];

  @IsArray()
  @ArrayMaxSize(METHODS_OF_CONTROL.length)
  @IsIn(METHODS_OF_CONTROL, { each: true })
  methodsOfControl!: string[];

  @IsIn(DANGER_LEVELS)
  dangerLevel!: string;

  @IsIn(MEDICAL_NEEDS)
  medicalNeed!: string;

  /** Danger is high or immediate, or medical care is needed urgently: the province acts first on these. */
  @IsBoolean()
  urgent!: boolean;

  @IsBoolean()
  shelterNeeded!: boolean;

  @IsBoolean()
  legalAidNeeded!: boolean;

  @IsBoolean()
  interpreterNeeded!: boolean;

  /** ISO 639-3 codes of the languages the person speaks. */
  @IsArray()
  @ArrayMaxSize(10)
  @Matches(LANGUAGE_PATTERN, { each: true })
  languages!: string[];

  @IsBoolean()
  wishToReturnHome!: boolean;

  /** Recent referrals that may be the same person (flagged, never merged). */
  @IsArray()
  @ArrayMaxSize(10)
  @IsUUID('all', { each: true })
  possibleDuplicateOf!: string[];
}

export const ReferralSubmitted = defineEvent({
  type: 'referral.submitted',
  version: 1,
  stream: Streams.referral,
  payload: ReferralSubmittedPayload,
});

export class ReferralDeadlineBreachedPayload {
  @IsUUID()
  referralId!: string;

  @IsUUID()
  deadlineId!: string;

  @IsString()
  @Length(1, 100)
  kind!: string;

  @IsISO8601({ strict: true })
  dueAt!: string;
}

export const ReferralDeadlineBreached = defineEvent({
  type: 'referral.deadline-breached',
  version: 1,
  stream: Streams.referral,
  payload: ReferralDeadlineBreachedPayload,
});

/** The referrer withdrew the referral; the reason stays encrypted in intake. */
export class ReferralWithdrawnPayload {
  @IsUUID()
  referralId!: string;
}

export const ReferralWithdrawn = defineEvent({
  type: 'referral.withdrawn',
  version: 1,
  stream: Streams.referral,
  payload: ReferralWithdrawnPayload,
});
