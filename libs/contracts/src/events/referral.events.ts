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
} from 'class-validator';
import { defineEvent } from '../contract';
import { PROVINCE_CODES } from '../reference/provinces';
import {
  AGE_BANDS,
  CAME_TO_NOTICE_VIA,
  EXPLOITATION_TYPES,
  GENDERS,
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
