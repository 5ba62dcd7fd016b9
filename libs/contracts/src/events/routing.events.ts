import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Length,
  Matches,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { defineEvent } from '../contract';
import { ORGANISATION_ID_PATTERN } from '../reference/identifiers';
import { PROVINCE_CODES } from '../reference/provinces';
import { RISK_GROUPS, SERVICES, URGENCY_CLASSES } from '../reference/services';
import { Streams } from '../streams';

/** One service the case needs and the organisation chosen to give it, or null when none could. */
export class RoutedOffer {
  @IsIn(SERVICES)
  service!: string;

  @ValidateIf((offer: RoutedOffer) => offer.organisationId !== null)
  @Matches(ORGANISATION_ID_PATTERN)
  organisationId!: string | null;
}

export class ReferralRoutedPayload {
  @IsUUID()
  referralId!: string;

  @IsUUID()
  decisionId!: string;

  @IsIn(PROVINCE_CODES)
  responsibleProvince!: string;

  /** The responsible province's risk group in the current fiscal year. */
  @IsIn(RISK_GROUPS)
  riskGroup!: string;

  @IsIn(URGENCY_CLASSES)
  urgency!: string;

  @IsInt()
  @Min(1)
  ruleVersion!: number;

  /** Rule identifiers that matched, in rule order. */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  matchedRules!: string[];

  @IsArray()
  @ArrayMaxSize(SERVICES.length)
  @ValidateNested({ each: true })
  @Type(() => RoutedOffer)
  offers!: RoutedOffer[];
}

export const ReferralRouted = defineEvent({
  type: 'referral.routed',
  version: 1,
  stream: Streams.routing,
  payload: ReferralRoutedPayload,
});

/**
 * The next organisation to offer a service to, after the previous one declined
 * or let the offer expire; null when no suitable organisation is left.
 */
export class ServiceOfferRoutedPayload {
  @IsUUID()
  decisionId!: string;

  @IsUUID()
  caseId!: string;

  @IsIn(SERVICES)
  service!: string;

  @ValidateIf((payload: ServiceOfferRoutedPayload) => payload.organisationId !== null)
  @Matches(ORGANISATION_ID_PATTERN)
  organisationId!: string | null;

  /** 1 for the first offer of this service, then one more for each organisation after it. */
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsInt()
  @Min(1)
  ruleVersion!: number;
}

export const ServiceOfferRouted = defineEvent({
  type: 'service-offer.routed',
  version: 1,
  stream: Streams.routing,
  payload: ServiceOfferRoutedPayload,
});
