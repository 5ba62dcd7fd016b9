import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayUnique, IsArray, IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { AuditTrail } from '@nrm/audit';
import { Can, RequestActor } from '@nrm/auth';
import { Actor } from '@nrm/contracts';
import {
  ReferralStatistics,
  STATISTIC_DIMENSIONS,
  StatisticDimension,
  StatisticsExport,
} from './referral-statistics';

/** The smallest group an export may show, as the Counter-Trafficking Data Collaborative uses. */
export const DEFAULT_MINIMUM_GROUP = 11;

class ExportQuery {
  @ApiPropertyOptional({
    enum: STATISTIC_DIMENSIONS,
    isArray: true,
    description: 'Comma-separated; all by default',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.split(',') : value))
  @IsArray()
  @ArrayUnique()
  @IsIn(STATISTIC_DIMENSIONS, { each: true })
  dimensions?: StatisticDimension[];

  @ApiPropertyOptional({ minimum: DEFAULT_MINIMUM_GROUP, default: DEFAULT_MINIMUM_GROUP })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(DEFAULT_MINIMUM_GROUP)
  @Max(1_000)
  k?: number;
}

@ApiTags('statistics')
@Controller('statistics')
export class StatisticsController {
  constructor(
    private readonly statistics: ReferralStatistics,
    private readonly trail: AuditTrail,
  ) {}

  @Can('statistics.export')
  @Get('referrals')
  @ApiOperation({
    summary:
      'Referral counts for research, k-anonymous (groups smaller than k suppressed), no identifying fields',
  })
  async export(@Query() query: ExportQuery, @RequestActor() actor: Actor): Promise<StatisticsExport> {
    const result = await this.statistics.export(
      query.dimensions ?? [...STATISTIC_DIMENSIONS],
      query.k ?? DEFAULT_MINIMUM_GROUP,
    );
    await this.trail.record({
      actor,
      action: 'export',
      subject: 'GET /statistics/referrals',
      detail: `dimensions=${result.dimensions.join(',')} k=${result.k} groups=${result.groups.length} suppressed=${result.suppressedReferrals}`,
    });
    return result;
  }
}
