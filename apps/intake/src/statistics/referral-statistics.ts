import { Injectable } from '@nestjs/common';
import { IntakeDatabase } from '../persistence/intake-database.service';

/** The attributes a research export may break figures down by: none identifies a person on its own. */
export const STATISTIC_DIMENSIONS = [
  'province',
  'year',
  'ageBand',
  'gender',
  'nationality',
  'exploitationType',
] as const;
export type StatisticDimension = (typeof STATISTIC_DIMENSIONS)[number];

const COLUMN: Record<StatisticDimension, string> = {
  province: 'province_code',
  year: "to_char(found_on, 'YYYY')",
  ageBand: 'age_band',
  gender: 'gender',
  nationality: 'nationality',
  exploitationType: 'exploitation_type',
};

export interface StatisticsExport {
  k: number;
  dimensions: StatisticDimension[];
  groups: (Partial<Record<StatisticDimension, string>> & { referrals: number })[];
  /** Referrals in combinations seen fewer than k times: counted, never broken down. */
  suppressedReferrals: number;
  suppressedGroups: number;
}

/**
 * Referral figures for research, after the CTDC's approach: counts by a
 * chosen set of attributes, with every combination seen fewer than k times
 * (11 by default) suppressed, and no identifying field at all. A referral with
 * several forms of exploitation counts once under each when that dimension is
 * chosen.
 */
@Injectable()
export class ReferralStatistics {
  constructor(private readonly db: IntakeDatabase) {}

  async export(dimensions: StatisticDimension[], k: number): Promise<StatisticsExport> {
    const chosen = STATISTIC_DIMENSIONS.filter((dimension) => dimensions.includes(dimension));
    const select = chosen.map((dimension) => `${COLUMN[dimension]} AS "${dimension}"`);
    const source = chosen.includes('exploitationType')
      ? 'referral CROSS JOIN LATERAL unnest(exploitation_types) AS exploitation_type'
      : 'referral';
    const rows = await this.db.$queryRawUnsafe<(Record<string, string> & { referrals: number })[]>(
      `SELECT ${[...select, 'count(*)::int AS referrals'].join(', ')} FROM ${source}
        ${chosen.length > 0 ? `GROUP BY ${chosen.map((_, index) => index + 1).join(', ')}` : ''}
        ORDER BY referrals DESC`,
    );
    const kept = rows.filter((row) => row.referrals >= k);
    const suppressed = rows.filter((row) => row.referrals < k);
    return {
      k,
      dimensions: chosen,
      groups: kept,
      suppressedReferrals: suppressed.reduce((total, row) => total + row.referrals, 0),
      suppressedGroups: suppressed.length,
    };
  }
}
