import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CASE_EVENTS, CASE_STATES, SERVICE_REFERRAL_EVENTS } from '@nrm/case-lifecycle';
import { ACCOUNT_ID_PATTERN, ORGANISATION_ID_PATTERN, PROVINCE_CODES, URGENCY_CLASSES } from '@nrm/contracts';
import { ListQuery } from '@nrm/runtime';

export class CaseEventDto {
  @ApiProperty({ enum: CASE_EVENTS })
  @IsIn(CASE_EVENTS)
  event!: string;

  @ApiPropertyOptional({
    description: 'Why; required for transfers, closures, withdrawals and some outcomes',
  })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ description: 'For request_transfer: the province asked to take the case' })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  transferTo?: string;
}

export class OfferServiceDto {
  @ApiProperty({ example: 'shelter' })
  @IsString()
  @Length(2, 60)
  @Matches(/^[a-z-]+$/)
  service!: string;

  @ApiProperty({ example: 'ngo-tak-shelter' })
  @Matches(ORGANISATION_ID_PATTERN)
  organisationId!: string;

  @ApiPropertyOptional({ description: 'Why the case may be shared without consent; logged' })
  @IsOptional()
  @IsString()
  @Length(10, 2000)
  overrideReason?: string;
}

export class ServiceReferralEventDto {
  @ApiProperty({ enum: SERVICE_REFERRAL_EVENTS })
  @IsIn(SERVICE_REFERRAL_EVENTS)
  event!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;
}

export class CaseListQuery extends ListQuery {
  @ApiPropertyOptional({ enum: PROVINCE_CODES })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  province?: string;

  @ApiPropertyOptional({ enum: CASE_STATES })
  @IsOptional()
  @IsIn(CASE_STATES)
  state?: string;

  @ApiPropertyOptional({ enum: URGENCY_CLASSES })
  @IsOptional()
  @IsIn(URGENCY_CLASSES)
  urgency?: string;

  @ApiPropertyOptional({ description: 'Only cases with (true) or without (false) an open escalation' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  escalated?: boolean;

  @ApiPropertyOptional({ description: 'Opened at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Type(() => String)
  openedFrom?: string;

  @ApiPropertyOptional({ description: 'Opened before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  openedTo?: string;

  @ApiPropertyOptional({ description: 'From the previous page’s nextCursor' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  cursor?: string;
}

export class MdtMemberDto {
  @ApiProperty({ example: 'u-labour-tak-01' })
  @Matches(ACCOUNT_ID_PATTERN)
  userId!: string;

  @ApiProperty({ example: 'labour-protection-th-63' })
  @Matches(ORGANISATION_ID_PATTERN)
  organisationId!: string;

  @ApiProperty({ example: 'labour-inspector', description: 'Their part on the team' })
  @IsString()
  @Length(2, 60)
  @Matches(/^[a-z-]+$/)
  role!: string;
}

export class AssignmentDto {
  @ApiProperty({ example: 'u-pswd-tak-02' })
  @Matches(ACCOUNT_ID_PATTERN)
  caseManagerId!: string;

  @ApiProperty({ type: [MdtMemberDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => MdtMemberDto)
  mdtMembers!: MdtMemberDto[];
}

export class HoldExtensionDto {
  @ApiProperty({ description: 'The court order’s reference' })
  @IsString()
  @Length(3, 100)
  courtOrderReference!: string;

  @ApiProperty({ minimum: 1, maximum: 7 })
  @IsInt()
  @Min(1)
  @Max(7)
  extraDays!: number;
}

export class ResolutionDto {
  @ApiProperty({ description: 'What was done' })
  @IsString()
  @Length(3, 2000)
  resolution!: string;
}
