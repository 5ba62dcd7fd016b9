import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { caseReference } from '@nrm/contracts';
import { bangkokDate } from '@nrm/scheduling';
import { OversightDatabase } from '../persistence/oversight-database.service';
import { CaseStanding, ENDED_STATES, OVERSIGHT_STATES } from '../projection/case-history';
import {
  CaseListView,
  CasesQuery,
  CaseTimelineView,
  DashboardQuery,
  DashboardView,
  DEFAULT_CASE_PAGE,
} from './oversight.dto';

const TREND_DAYS = 30;
const MAX_TREND_DAYS = 366;
const DAY_MS = 86_400_000;
const UNKNOWN_PROVINCE = 'unknown';

/** The ended states as an SQL list: constants, never input. */
const ENDED_SQL = ENDED_STATES.map((state) => `'${state}'`).join(', ');

/** `$1` is the province filter (null: the whole country) in every dashboard query. */
const IN_PROVINCE = '($1::text IS NULL OR s.province_code = $1)';

interface Count {
  count: number;
}

const hours = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 100) / 100;

/**
 * The supervisors' figures, computed in SQL from the read model's tables.
 * Nothing here identifies a person: the read model holds no such field.
 */
@Injectable()
export class OversightFigures {
  constructor(private readonly db: OversightDatabase) {}

  async dashboard(query: DashboardQuery): Promise<DashboardView> {
    const { from, to } = this.trendPeriod(query);
    const province = query.provinceCode ?? null;
    const [cases] = await this.db.$queryRawUnsafe<{ total: number; closed: number }[]>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE s.state IN (${ENDED_SQL}))::int AS closed
         FROM case_summary s WHERE ${IN_PROVINCE}`,
      province,
    );
    const byProvinceState = await this.db.$queryRawUnsafe<DashboardView['byProvinceState']>(
      `SELECT COALESCE(s.province_code, '${UNKNOWN_PROVINCE}') AS "provinceCode", s.state, count(*)::int AS count
         FROM case_summary s WHERE ${IN_PROVINCE} GROUP BY 1, 2 ORDER BY 1, 2`,
      province,
    );
    const byRiskGroup = await this.db.$queryRawUnsafe<DashboardView['byRiskGroup']>(
      `SELECT s.risk_group AS "riskGroup", s.state, count(*)::int AS count
         FROM case_summary s WHERE ${IN_PROVINCE} GROUP BY 1, 2 ORDER BY 1, 2`,
      province,
    );
    // A breach counts for the province that held the case when it happened (intake's have none: the case's).
    const breaches = await this.db.$queryRawUnsafe<
      { provinceCode: string; kind: string; count: number; open: number }[]
    >(
      `SELECT b.province_code AS "provinceCode", b.kind, count(*)::int AS count,
              count(*) FILTER (WHERE b.state NOT IN (${ENDED_SQL}))::int AS open
         FROM (SELECT COALESCE(e.province_code, s.province_code, '${UNKNOWN_PROVINCE}') AS province_code,
                      e.breached_kind AS kind, s.state
                 FROM case_event e JOIN case_summary s USING (case_id)
                WHERE e.breached_kind IS NOT NULL) b
        WHERE ($1::text IS NULL OR b.province_code = $1)
        GROUP BY 1, 2 ORDER BY 1, 2`,
      province,
    );
    const durations = await this.db.$queryRawUnsafe<
      { stage: string; cases: number; medianHours: number | null; p90Hours: number | null }[]
    >(
      `SELECT i.stage, count(DISTINCT i.case_id)::int AS cases,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.left_at - i.entered_at)::float8 / 3600) AS "medianHours",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM i.left_at - i.entered_at)::float8 / 3600) AS "p90Hours"
         FROM stage_interval i JOIN case_summary s USING (case_id)
        WHERE i.left_at IS NOT NULL AND ${IN_PROVINCE}
        GROUP BY i.stage`,
      province,
    );
    const trend = await this.db.$queryRawUnsafe<DashboardView['trend']>(
      `WITH happened AS (
         SELECT (e.occurred_at AT TIME ZONE 'Asia/Bangkok')::date AS day, e.type, e.state
           FROM case_event e JOIN case_summary s USING (case_id)
          WHERE e.occurred_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Bangkok')
            AND e.occurred_at < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Bangkok')
            AND ${IN_PROVINCE})
       SELECT to_char(d, 'YYYY-MM-DD') AS day,
              count(h.day) FILTER (WHERE h.type = 'referral.submitted')::int AS received,
              count(h.day) FILTER (WHERE h.type = 'case.opened')::int AS opened,
              count(h.day) FILTER (WHERE h.state = 'identified_victim')::int AS identified,
              count(h.day) FILTER (WHERE h.state = 'closed')::int AS closed
         FROM generate_series($2::date, $3::date, interval '1 day') AS d
         LEFT JOIN happened h ON h.day = d::date
        GROUP BY d ORDER BY d`,
      province,
      from,
      to,
    );
    const [latest] = await this.db.$queryRawUnsafe<{ at: Date | null }[]>(
      'SELECT max(occurred_at) AS at FROM case_event',
    );
    return {
      asOf: new Date().toISOString(),
      lastEventAt: latest.at?.toISOString() ?? null,
      cases: { total: cases.total, open: cases.total - cases.closed, closed: cases.closed },
      byProvinceState,
      byRiskGroup,
      breaches: {
        open: breaches.reduce((sum, row) => sum + row.open, 0),
        total: breaches.reduce((sum, row) => sum + row.count, 0),
        byProvince: breaches.map(({ provinceCode, kind, count }) => ({ provinceCode, kind, count })),
      },
      stageDurations: OVERSIGHT_STATES.map((stage) => {
        const found = durations.find((row) => row.stage === stage);
        return {
          stage,
          cases: found?.cases ?? 0,
          medianHours: hours(found?.medianHours ?? null),
          p90Hours: hours(found?.p90Hours ?? null),
        };
      }),
      trend,
    };
  }

  async cases(query: CasesQuery): Promise<CaseListView> {
    const filters = `WHERE ($1::text IS NULL OR province_code = $1) AND ($2::text IS NULL OR state = $2)
      AND ($3::text IS NULL OR risk_group = $3) AND ($4::boolean IS NULL OR (breaches > 0) = $4)`;
    const values = [
      query.provinceCode ?? null,
      query.state ?? null,
      query.riskGroup ?? null,
      query.breached ?? null,
    ];
    const [{ count: total }] = await this.db.$queryRawUnsafe<Count[]>(
      `SELECT count(*)::int AS count FROM case_summary ${filters}`,
      ...values,
    );
    const rows = await this.db.$queryRawUnsafe<(Omit<CaseStanding, 'stays'> & { caseId: string })[]>(
      `SELECT case_id AS "caseId", province_code AS "provinceCode", state, risk_group AS "riskGroup",
              received_at AS "receivedAt", last_changed_at AS "lastChangedAt", breaches
         FROM case_summary ${filters}
        ORDER BY last_changed_at DESC, case_id LIMIT $5 OFFSET $6`,
      ...values,
      query.limit ?? DEFAULT_CASE_PAGE,
      query.offset ?? 0,
    );
    return {
      total,
      items: rows.map((row) => ({
        caseId: row.caseId,
        caseReference: caseReference(row.caseId),
        provinceCode: row.provinceCode ?? UNKNOWN_PROVINCE,
        state: row.state,
        riskGroup: row.riskGroup,
        receivedAt: row.receivedAt.toISOString(),
        lastChangedAt: row.lastChangedAt.toISOString(),
        breaches: row.breaches,
      })),
    };
  }

  /** A case's events in the order they happened: types, times, states, provinces and roles only. */
  async timeline(caseId: string): Promise<CaseTimelineView> {
    const summary = await this.db.caseSummary.findUnique({ where: { caseId } });
    if (!summary) throw new NotFoundException('No such case');
    const events = await this.db.caseEvent.findMany({
      where: { caseId },
      orderBy: [{ occurredAt: 'asc' }, { rank: 'asc' }, { eventId: 'asc' }],
    });
    return {
      caseId,
      caseReference: caseReference(caseId),
      provinceCode: summary.provinceCode ?? UNKNOWN_PROVINCE,
      state: summary.state,
      riskGroup: summary.riskGroup,
      entries: events.map((event) => ({
        at: event.occurredAt.toISOString(),
        type: event.type,
        state: event.state,
        provinceCode: event.provinceCode,
        actorRole: event.actorRole,
      })),
    };
  }

  private trendPeriod(query: DashboardQuery): { from: string; to: string } {
    const to = query.to ?? bangkokDate(new Date());
    const from =
      query.from ?? new Date(Date.parse(to) - (TREND_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
    if (Number.isNaN(days) || days < 1 || days > MAX_TREND_DAYS) {
      throw new BadRequestException(
        `from must be a day on or before to, at most ${MAX_TREND_DAYS} days apart`,
      );
    }
    return { from, to };
  }
}
