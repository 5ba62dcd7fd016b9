import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

class CaseCounts {
  @ApiProperty() total!: number;
  @ApiProperty({ description: 'Cases in any state but closed and withdrawn' }) open!: number;
  @ApiProperty({ description: 'Cases closed or withdrawn' }) closed!: number;
}

class ProvinceStateCount {
  @ApiProperty({ example: 'TH-63' }) provinceCode!: string;
  @ApiProperty({ enum: OVERSIGHT_STATES }) state!: string;
  @ApiProperty() count!: number;
}

class RiskGroupStateCount {
  @ApiProperty({ enum: [...RISK_GROUPS, UNKNOWN_RISK_GROUP] }) riskGroup!: string;
  @ApiProperty({ enum: OVERSIGHT_STATES }) state!: string;
  @ApiProperty() count!: number;
}

class BreachCount {
  @ApiProperty({ example: 'TH-63' }) provinceCode!: string;
  @ApiProperty({ example: 'provincial-acceptance', description: 'The deadline kind' }) kind!: string;
  @ApiProperty() count!: number;
}

class Breaches {
  @ApiProperty({ description: 'Breaches on cases still open' }) open!: number;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [BreachCount] }) byProvince!: BreachCount[];
}

class StageDuration {
  @ApiProperty({ enum: OVERSIGHT_STATES }) stage!: string;
  @ApiProperty({ description: 'Cases with at least one ended stay in the stage' }) cases!: number;
  @ApiProperty({ type: Number, nullable: true }) medianHours!: number | null;
  @ApiProperty({ type: Number, nullable: true }) p90Hours!: number | null;
}

class TrendDay {
  @ApiProperty({ example: '2026-11-22', description: 'A Bangkok day' }) day!: string;
  @ApiProperty({ description: 'Referrals submitted' }) received!: number;
  @ApiProperty({ description: 'Cases opened by a province' }) opened!: number;
  @ApiProperty({ description: 'People identified as victims' }) identified!: number;
  @ApiProperty({ description: 'Cases closed' }) closed!: number;
}

export class DashboardView {
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the latest event applied happened',
  })
  lastEventAt!: string | null;
  @ApiProperty() cases!: CaseCounts;
  @ApiProperty({ type: [ProvinceStateCount] }) byProvinceState!: ProvinceStateCount[];
  @ApiProperty({ type: [RiskGroupStateCount] }) byRiskGroup!: RiskGroupStateCount[];
  @ApiProperty() breaches!: Breaches;
  @ApiProperty({ type: [StageDuration], description: 'Time in each stage: ended stays, in hours' })
  stageDurations!: StageDuration[];
  @ApiProperty({ type: [TrendDay] }) trend!: TrendDay[];
}

class CaseListItem {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty({ example: 'NRM-1A2B-3C4D-5E6F' }) caseReference!: string;
  @ApiProperty({ example: 'TH-63' }) provinceCode!: string;
  @ApiProperty({ enum: OVERSIGHT_STATES }) state!: string;
  @ApiProperty({ enum: [...RISK_GROUPS, UNKNOWN_RISK_GROUP] }) riskGroup!: string;
  @ApiProperty({ format: 'date-time' }) receivedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastChangedAt!: string;
  @ApiProperty({ description: 'Deadlines breached' }) breaches!: number;
}

export class CaseListView {
  @ApiProperty() total!: number;
  @ApiProperty({ type: [CaseListItem] }) items!: CaseListItem[];
}

class TimelineEntry {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ example: 'case.transitioned', description: 'The event type' }) type!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The state the event set' }) state!:
    string | null;
  @ApiProperty({ type: String, nullable: true }) provinceCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The role of who caused it' }) actorRole!:
    string | null;
}

export class CaseTimelineView {
  @ApiProperty({ format: 'uuid' }) caseId!: string;
  @ApiProperty() caseReference!: string;
  @ApiProperty() provinceCode!: string;
  @ApiProperty({ enum: OVERSIGHT_STATES }) state!: string;
  @ApiProperty({ enum: [...RISK_GROUPS, UNKNOWN_RISK_GROUP] }) riskGroup!: string;
  @ApiProperty({ type: [TimelineEntry] }) entries!: TimelineEntry[];
}
