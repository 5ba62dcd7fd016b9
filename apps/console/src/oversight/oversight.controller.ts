import { Controller, Get, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CASE_STATES } from '@nrm/case-lifecycle';
import { PROVINCES, PROVINCE_CODES, RISK_GROUPS } from '@nrm/contracts';
import { Backends } from '../backends/backends';
import { ProvinceDirectory } from '../backends/province-directory';
import { pageHelpers, pageLanguage } from '../i18n/page-language';
import { ConsoleSession } from '../session/console-session';
import { CurrentSession } from '../session/current-session';
import { ForRoles } from '../session/page-access';
import { formText } from '../pages/form-text';
import { barChart, lineChart } from './charts';

/** GET /oversight/dashboard, as the oversight service's contract states it. */
interface Dashboard {
  asOf: string;
  lastEventAt: string | null;
  cases: { total: number; open: number; closed: number };
  byProvinceState: { provinceCode: string; state: string; count: number }[];
  byRiskGroup: { riskGroup: string; state: string; count: number }[];
  breaches: {
    open: number;
    total: number;
    byProvince: { provinceCode: string; kind: string; count: number }[];
  };
  stageDurations: { stage: string; cases: number; medianHours: number | null; p90Hours: number | null }[];
  trend: { day: string; received: number; opened: number; identified: number; closed: number }[];
}

interface OversightCase {
  caseId: string;
  caseReference: string;
  provinceCode: string;
  state: string;
  riskGroup: string;
  receivedAt: string;
  lastChangedAt: string;
  breaches: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Every province, named in the page's language where the directory names it. */
function provinceChoices(names: Readonly<Record<string, string>>) {
  return PROVINCE_CODES.map((code) => ({ code, name: names[code] ?? PROVINCES[code] }));
}

function total<T>(items: T[], keyOf: (item: T) => string, countOf: (item: T) => number) {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(keyOf(item), (sums.get(keyOf(item)) ?? 0) + countOf(item));
  return [...sums.entries()].map(([label, value]) => ({ label, value }));
}

/**
 * The supervisor's national picture from the oversight read model: no
 * identifying data anywhere, a case's drill-down is its timeline of events.
 */
@ForRoles('supervisor')
@Controller('oversight')
export class OversightController {
  constructor(
    private readonly backends: Backends,
    private readonly provinces: ProvinceDirectory,
  ) {}

  @Get()
  async dashboard(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const filter = {
      from: typeof query.from === 'string' && DAY.test(query.from) ? query.from : '',
      to: typeof query.to === 'string' && DAY.test(query.to) ? query.to : '',
      provinceCode:
        typeof query.provinceCode === 'string' && PROVINCE_CODES.includes(query.provinceCode)
          ? query.provinceCode
          : '',
    };
    const search = new URLSearchParams(Object.entries(filter).filter(([, value]) => value)).toString();
    const dashboard = await this.backends.get<Dashboard>(
      session,
      'oversight',
      `/oversight/dashboard?${search}`,
    );
    const language = pageLanguage(response.req);
    const { word, t } = pageHelpers(language);
    const provinceNames = await this.provinces.names(session, language);
    const states = [...new Set(dashboard.byProvinceState.map((entry) => entry.state))];
    const provinces = [...new Set(dashboard.byProvinceState.map((entry) => entry.provinceCode))].sort();
    const count = (provinceCode: string, state: string) =>
      dashboard.byProvinceState.find((entry) => entry.provinceCode === provinceCode && entry.state === state)
        ?.count ?? 0;
    response.render('oversight/dashboard', {
      dashboard,
      filter,
      provinceChoices: provinceChoices(provinceNames),
      states,
      provinceRows: provinces.map((provinceCode) => ({
        provinceCode,
        counts: states.map((state) => count(provinceCode, state)),
        total: states.reduce((sum, state) => sum + count(provinceCode, state), 0),
      })),
      stateChart: barChart(
        total(
          dashboard.byProvinceState,
          (entry) => word(entry.state),
          (entry) => entry.count,
        ),
      ),
      riskRows: [...RISK_GROUPS, 'unknown'].map((riskGroup) => ({
        riskGroup,
        count: dashboard.byRiskGroup
          .filter((entry) => entry.riskGroup === riskGroup)
          .reduce((sum, entry) => sum + entry.count, 0),
      })),
      riskChart: barChart(
        total(
          dashboard.byRiskGroup,
          (entry) => entry.riskGroup,
          (entry) => entry.count,
        ),
      ),
      breachChart: barChart(
        total(
          dashboard.breaches.byProvince,
          (entry) => provinceNames[entry.provinceCode] ?? entry.provinceCode,
          (entry) => entry.count,
        ),
      ),
      stageChart: barChart(
        dashboard.stageDurations.map((entry) => ({
          label: word(entry.stage),
          value: entry.medianHours ?? 0,
        })),
      ),
      trendChart: lineChart(
        dashboard.trend.map((entry) => entry.day),
        (['received', 'opened', 'identified', 'closed'] as const).map((name) => ({
          name: t(name),
          values: dashboard.trend.map((entry) => entry[name]),
        })),
      ),
    });
  }

  @Get('cases')
  async cases(
    @CurrentSession() session: ConsoleSession,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const filter: Record<string, string> = Object.fromEntries(
      (['provinceCode', 'state', 'riskGroup', 'breached'] as const)
        .map((name): [string, string] => [name, formText(query[name]).slice(0, 40)])
        .filter(([, value]) => value),
    );
    const search = new URLSearchParams({ ...filter, limit: '100' }).toString();
    const list = await this.backends.get<{ total: number; items: OversightCase[] }>(
      session,
      'oversight',
      `/oversight/cases?${search}`,
    );
    const provinceNames = await this.provinces.names(session, pageLanguage(response.req));
    response.render('oversight/cases', {
      list,
      filter,
      provinceChoices: provinceChoices(provinceNames),
      states: ['received', 'routed', ...CASE_STATES],
      riskGroups: [...RISK_GROUPS, 'unknown'],
    });
  }

  @Get('cases/:caseId')
  async timeline(
    @CurrentSession() session: ConsoleSession,
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Res() response: Response,
  ) {
    const found = await this.backends.get<object>(
      session,
      'oversight',
      `/oversight/cases/${caseId}/timeline`,
    );
    response.render('oversight/timeline', { found });
  }
}
