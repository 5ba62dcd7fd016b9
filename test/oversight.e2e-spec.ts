import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { Client } from 'pg';
import { eventually, TestSystem } from '@nrm/testing';
import {
  coordinatorOf,
  EXAMPLE_REFERRAL,
  identifyingValues,
  submitReferral,
  THAI_IN_KORAT,
} from './referral-journey';

const SUPERVISOR = 'supervisor';

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
interface CaseList {
  total: number;
  items: { caseId: string; provinceCode: string; state: string; riskGroup: string; breaches: number }[];
}
interface Timeline {
  caseId: string;
  caseReference: string;
  state: string;
  entries: {
    at: string;
    type: string;
    state: string | null;
    provinceCode: string | null;
    actorRole: string | null;
  }[];
}

describe('the supervisors read model', () => {
  const system = new TestSystem({ DEADLINE_RECONCILE_INTERVAL_MS: '600000' });
  const caseIds: string[] = [];

  const oversight = <T>(route: string) =>
    system.request<T>('oversight', 'GET', route, undefined, SUPERVISOR).then((response) => {
      if (response.status !== 200) throw new Error(`GET ${route} answered ${response.status}`);
      return response.body;
    });
  const opened = async (body: object = EXAMPLE_REFERRAL): Promise<{ id: string; provinceCode: string }> => {
    const submitted = await submitReferral(system, body);
    expect(submitted.status).toBe(201);
    caseIds.push(submitted.body.id);
    return eventually(async () => {
      const response = await system.request<{ id: string; provinceCode: string }>(
        'province',
        'GET',
        `/cases/${submitted.body.id}`,
        undefined,
        SUPERVISOR,
      );
      return response.status === 200 ? response.body : undefined;
    });
  };
  const walk = async (found: { id: string; provinceCode: string }, events: string[]) => {
    for (const event of events) {
      const response = await system.request(
        'province',
        'POST',
        `/cases/${found.id}/events`,
        { event, reason: 'recorded in the test' },
        coordinatorOf(found.provinceCode),
      );
      expect({ event, status: response.status }).toEqual({ event, status: 200 });
    }
  };
  const setAcceptancePolicy = async (amount: number, unit: string) => {
    const response = await system.request(
      'province',
      'PUT',
      '/admin/deadline-policies/provincial-acceptance',
      { amounts: [amount], urgentAmounts: [amount], unit, description: 'Set by the oversight test' },
      'admin',
    );
    expect(response.status).toBe(200);
  };
  /** Everything the read model answers, and its tables, without the time of asking. */
  const snapshot = async () => {
    const dashboard: Partial<Dashboard> = await oversight<Dashboard>('/oversight/dashboard');
    delete dashboard.asOf;
    return {
      dashboard,
      cases: await oversight<CaseList>('/oversight/cases?limit=500'),
      timelines: await Promise.all(
        caseIds.map((id) => oversight<Timeline>(`/oversight/cases/${id}/timeline`)),
      ),
      summaries: await system.sql('SELECT * FROM oversight.case_summary ORDER BY case_id'),
      stays: await system.sql('SELECT * FROM oversight.stage_interval ORDER BY case_id, position'),
      events: await system.sql('SELECT * FROM oversight.case_event ORDER BY event_id'),
    };
  };

  beforeAll(() => system.start(['intake', 'routing', 'province', 'oversight']));
  afterAll(() => system.stop());

  it('follows cases in several provinces, closures and a missed deadline within seconds', async () => {
    await setAcceptancePolicy(3, 'seconds');
    const missed = await opened(THAI_IN_KORAT);
    await setAcceptancePolicy(24, 'hours');
    const closed = await opened();
    const accepted = await opened();
    await walk(closed, [
      'accept',
      'start_identification',
      'identify_as_victim',
      'request_closure',
      'approve_closure',
    ]);
    await walk(accepted, ['accept']);

    const dashboard = await eventually(async () => {
      const current = await oversight<Dashboard>('/oversight/dashboard');
      // Each case's events reach the read model on their own partitions: wait for the last one walked too.
      const acceptedSeen = current.byProvinceState.some((row) => row.state === 'accepted');
      return current.cases.closed === 1 &&
        current.breaches.total === 1 &&
        current.cases.total === 3 &&
        acceptedSeen
        ? current
        : undefined;
    }, 20_000);
    expect(dashboard.cases).toEqual({ total: 3, open: 2, closed: 1 });
    expect(dashboard.byProvinceState).toEqual(
      expect.arrayContaining([
        { provinceCode: missed.provinceCode, state: 'awaiting_acceptance', count: 1 },
        { provinceCode: closed.provinceCode, state: 'closed', count: 1 },
        { provinceCode: accepted.provinceCode, state: 'accepted', count: 1 },
      ]),
    );
    expect(dashboard.byRiskGroup.reduce((sum, row) => sum + row.count, 0)).toBe(3);
    expect(dashboard.byRiskGroup.every((row) => ['A', 'B', 'C', 'D'].includes(row.riskGroup))).toBe(true);
    expect(dashboard.breaches).toEqual({
      open: 1,
      total: 1,
      byProvince: [{ provinceCode: missed.provinceCode, kind: 'provincial-acceptance', count: 1 }],
    });
    const stage = (name: string) => dashboard.stageDurations.find((row) => row.stage === name);
    expect(stage('identification')).toMatchObject({ cases: 1 });
    expect(stage('identification')?.medianHours).toBeGreaterThanOrEqual(0);
    // Stays count once left: two cases have left awaiting acceptance, the missed one is still there.
    expect(stage('awaiting_acceptance')).toMatchObject({ cases: 2 });
    expect(stage('accepted')).toMatchObject({ cases: 1 });
    expect(stage('closed')).toEqual({ stage: 'closed', cases: 0, medianHours: null, p90Hours: null });
    expect(dashboard.trend).toHaveLength(30);
    expect(dashboard.trend.at(-1)).toMatchObject({ received: 3, opened: 3, identified: 1, closed: 1 });
    expect(Date.now() - Date.parse(dashboard.lastEventAt ?? '')).toBeLessThan(30_000);

    const breached = await oversight<CaseList>('/oversight/cases?breached=true');
    expect(breached).toMatchObject({
      total: 1,
      items: [{ caseId: missed.id, state: 'awaiting_acceptance', breaches: 1 }],
    });
    const inTak = await oversight<CaseList>(
      `/oversight/cases?provinceCode=${closed.provinceCode}&state=closed`,
    );
    expect(inTak.items.map((item) => item.caseId)).toEqual([closed.id]);

    const timeline = await oversight<Timeline>(`/oversight/cases/${closed.id}/timeline`);
    expect(timeline).toMatchObject({ caseId: closed.id, state: 'closed' });
    expect(timeline.caseReference).toMatch(/^NRM-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(timeline.entries.filter((entry) => entry.state !== null).map((entry) => entry.state)).toEqual([
      'received',
      'routed',
      'awaiting_acceptance',
      'accepted',
      'identification',
      'identified_victim',
      'closure_requested',
      'closed',
    ]);
    expect(timeline.entries[0]).toMatchObject({ type: 'referral.submitted', actorRole: 'case-worker' });
    const shown = JSON.stringify([timeline, dashboard, breached]);
    for (const value of identifyingValues()) expect(shown).not.toContain(value);

    const unknown = await system.request(
      'oversight',
      'GET',
      `/oversight/cases/${randomUUID()}/timeline`,
      undefined,
      SUPERVISOR,
    );
    expect(unknown.status).toBe(404);
  });

  it('holds events back while a rebuild runs, then applies them without dead letters', async () => {
    const rebuild = new Client({ connectionString: system.databaseUrl });
    await rebuild.connect();
    try {
      await rebuild.query('BEGIN');
      await rebuild.query(`SELECT pg_advisory_xact_lock(hashtext('oversight.rebuild'))`);
      const waiting = await opened();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const meanwhile = await system.request(
        'oversight',
        'GET',
        `/oversight/cases/${waiting.id}/timeline`,
        undefined,
        SUPERVISOR,
      );
      expect(meanwhile.status).toBe(404);
      await rebuild.query('COMMIT');
      await eventually(() => oversight<Timeline>(`/oversight/cases/${waiting.id}/timeline`), 30_000);
    } finally {
      await rebuild.end();
    }
    expect(await system.sql('SELECT reason FROM oversight.dead_letter')).toEqual([]);
    // It waited outside a transaction (lock timeout, a transient error), not as a failing handler.
    expect(system.logs.some((line) => line.includes('the message waits') && line.includes('oversight'))).toBe(
      true,
    );
  });

  it('rebuilds from the event history with one command to the very same figures', async () => {
    // Settled: two snapshots apart are the same, so nothing arrives between the live one and the rebuild.
    const live = await eventually(async () => {
      const before = await snapshot();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      return isDeepStrictEqual(before, await snapshot()) ? before : undefined;
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(__dirname, '..', 'dist', 'tools', 'db', 'rebuild-oversight.js')],
      { env: { ...process.env, ...system.env() } },
    );
    expect(stdout).toMatch(/intake: \d+ events/);
    const rebuilt = await snapshot();
    expect(rebuilt).toEqual(live);
    expect(live.summaries).toHaveLength(caseIds.length);
  });
});
