import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CASE_EVENTS, CASE_STATES, SERVICE_REFERRAL_EVENTS } from '@nrm/case-lifecycle';
import { PROVINCE_CODES } from '@nrm/contracts';
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
  @IsString()
  @Length(2, 100)
  @Matches(/^[a-z0-9-]+$/)
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
