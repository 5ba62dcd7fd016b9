import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, IsUUID, Length, Min } from 'class-validator';
import { defineEvent } from '../contract';
import { PROVINCE_CODES } from '../reference/provinces';
import { Streams } from '../streams';

export class ReferralRoutedPayload {
  @IsUUID()
  referralId!: string;

  @IsIn(PROVINCE_CODES)
  responsibleProvince!: string;

  @IsInt()
  @Min(1)
  ruleVersion!: number;

  /** Rule identifiers that decided the province, in the order they applied. */
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  matchedRules!: string[];
}

export const ReferralRouted = defineEvent({
  type: 'referral.routed',
  version: 1,
  stream: Streams.routing,
  payload: ReferralRoutedPayload,
});
