import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PROVINCE_CODES, RISK_GROUPS } from '@nrm/contracts';
import { OVERSIGHT_STATES, UNKNOWN_RISK_GROUP } from '../projection/case-history';

const BANGKOK_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class DashboardQuery {
  @ApiPropertyOptional({
    description: 'First Bangkok day of the trend (YYYY-MM-DD); 29 days before `to` by default',
  })
  @IsOptional()
  @Matches(BANGKOK_DAY)
  from?: string;

  @ApiPropertyOptional({ description: 'Last Bangkok day of the trend (YYYY-MM-DD); today by default' })
  @IsOptional()
  @Matches(BANGKOK_DAY)
  to?: string;

  @ApiPropertyOptional({ enum: PROVINCE_CODES })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  provinceCode?: string;
}

export const DEFAULT_CASE_PAGE = 50;

export class CasesQuery {
  @ApiPropertyOptional({ enum: PROVINCE_CODES })
  @IsOptional()
  @IsIn(PROVINCE_CODES)
  provinceCode?: string;

  @ApiPropertyOptional({ enum: OVERSIGHT_STATES })
  @IsOptional()
  @IsIn(OVERSIGHT_STATES)
  state?: string;

  @ApiPropertyOptional({ enum: [...RISK_GROUPS, UNKNOWN_RISK_GROUP] })
  @IsOptional()
  @IsIn([...RISK_GROUPS, UNKNOWN_RISK_GROUP])
  riskGroup?: string;

  @ApiPropertyOptional({ description: 'Only cases with (true) or without (false) a breached deadline' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  breached?: boolean;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: DEFAULT_CASE_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
