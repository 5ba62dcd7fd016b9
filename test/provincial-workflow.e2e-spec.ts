import Redis from 'ioredis';
import { AccountClaims, eventually, inboxOf, TestSystem } from '@nrm/testing';
import { coordinatorOf, EXAMPLE_REFERRAL, submitReferral, THAI_IN_KORAT } from './referral-journey';

const ADMIN = 'admin';
const SUPERVISOR = 'supervisor';

interface ServiceReferral {
  id: string;
  service: string;
  organisationId: string;
  state: string;
  attempt: number;
}
interface CaseView {
  id: string;
  facts?: Record<string, unknown>;
  state: string;
  provinceCode: string;
  transferTo: string | null;
  urgency: string;
  escalatedAt: string | null;
  routing: { ruleVersion: number; matchedRules: string[] };
  serviceReferrals: ServiceReferral[];
  serviceNeeds: { service: string; status: string; organisationId: string | null }[];
  escalations: { reason: string; deadlineKind: string | null; service: string | null }[];
  deadlines: { kind: string; status: string; subjectId: string }[];
  followUpVisits: { sequence: number; visitedOn: string | null; outcome: string | null }[];
}

describe('the provincial workflow across the four services', () => {
  const system = new TestSystem({ DEADLINE_RECONCILE_INTERVAL_MS: '600000' });
  const redis = new Redis(system.redisUrl);

  const caseOf = (id: string) =>
    system.request<CaseView>('province', 'GET', `/cases/${id}`, undefined, SUPERVISOR).then((r) => r.body);
  const opened = async (body: object = EXAMPLE_REFERRAL): Promise<CaseView> => {
    const submitted = await submitReferral(system, body);
    expect(submitted.status).toBe(201);
    return eventually(async () => {
      const response = await system.request<CaseView>(
        'province',
        'GET',
        `/cases/${submitted.body.id}`,
        undefined,
        SUPERVISOR,
      );
      return response.status === 200 ? response.body : undefined;
    }, 30_000);
  };
  /** A step by the coordinator of the province holding the case, or of the one asked to take it. */
  const step = async (id: string, event: string, extra: object = {}) => {
    const current = await caseOf(id);
    const province =
      event === 'accept_transfer' && current.transferTo ? current.transferTo : current.provinceCode;
    const response = await system.request<CaseView>(
      'province',
      'POST',
      `/cases/${id}/events`,
      { event, ...extra },
      coordinatorOf(province),
    );
    expect(response.status).toBe(200);
    return response.body;
  };
  const setPolicy = async (kind: string, amounts: number[], unit: string) => {
    const response = await system.request(
      'province',
      'PUT',
      `/admin/deadline-policies/${kind}`,
      { amounts, urgentAmounts: amounts, unit, description: 'Short, for the test' },
      ADMIN,
    );
    expect(response.status).toBe(200);
  };

  beforeAll(() => system.start(['intake', 'routing', 'province', 'notifications']));
  afterAll(async () => {
    redis.disconnect();
    await system.stop();
  });

  it('routes a referral, the province accepts it, an NGO accepts its offer, and follow-up visits are kept', async () => {
    // A woman: the Mae Sot NGO takes women and children.
    const opening = await opened({
      ...EXAMPLE_REFERRAL,
      person: { ...(EXAMPLE_REFERRAL.person as object), gender: 'female' },
    });
    expect(opening).toMatchObject({ provinceCode: 'TH-63', urgency: 'urgent', state: 'awaiting_acceptance' });
    expect(opening.deadlines).toContainEqual(
      expect.objectContaining({ kind: 'provincial-acceptance', status: 'pending' }),
    );
    const decision = await system.request<{ explanation: { rules: unknown[] }; ruleVersion: number }>(
      'routing',
      'GET',
      `/decisions/${opening.id}`,
      undefined,
      coordinatorOf('TH-63'),
    );
    const elsewhere = await system.request(
      'routing',
      'GET',
      `/decisions/${opening.id}`,
      undefined,
      coordinatorOf('TH-10'),
    );
    expect(elsewhere.status).toBe(404);
    expect(decision.body.ruleVersion).toBe(1);
    expect(decision.body.explanation.rules.length).toBeGreaterThan(5);

    const accepted = await step(opening.id, 'accept');
    expect(accepted.deadlines).toContainEqual(
      expect.objectContaining({ kind: 'provincial-acceptance', status: 'met' }),
    );
    const legalAid = accepted.serviceReferrals.find((referral) => referral.service === 'legal-aid');
    expect(legalAid).toMatchObject({
      organisationId: 'ngo-mae-sot-migrant-support',
      state: 'offered',
      attempt: 1,
    });
    expect(accepted.serviceNeeds.every((need) => need.status === 'offered')).toBe(true);
    expect(accepted.deadlines.filter((deadline) => deadline.kind === 'offer-response')).toHaveLength(
      accepted.serviceReferrals.length,
    );

    const ngo: AccountClaims = {
      id: 'u-ngo-1',
      role: 'organisation-member',
      organisationId: 'ngo-mae-sot-migrant-support',
    };
    const otherOrganisation = await system.request(
      'province',
      'POST',
      `/cases/${opening.id}/service-referrals/${legalAid?.id}/events`,
      { event: 'accept' },
      'member-hospital-tak',
    );
    expect(otherOrganisation.status).toBe(404);
    const answered = await system.request<CaseView>(
      'province',
      'POST',
      `/cases/${opening.id}/service-referrals/${legalAid?.id}/events`,
      { event: 'accept' },
      ngo,
    );
    expect(answered.status).toBe(200);
    // The NGO reads its own offers of the case and nothing else of it.
    expect(answered.body.serviceReferrals.map((referral) => referral.organisationId)).toEqual(
      accepted.serviceReferrals
        .filter((referral) => referral.organisationId === ngo.organisationId)
        .map(() => ngo.organisationId),
    );
    expect(Object.keys(answered.body).sort()).toEqual(
      [
        'deadlines',
        'facts',
        'id',
        'provinceCode',
        'serviceNeeds',
        'serviceReferrals',
        'state',
        'urgency',
      ].sort(),
    );
    // Of the person, the NGO reads what legal aid (and its other services here) need, with consent.
    const ngoServices = new Set(answered.body.serviceReferrals.map((referral) => referral.service));
    expect(ngoServices).toEqual(new Set(['legal-aid']));
    expect(answered.body.facts).toEqual({
      nationality: 'IDN',
      languages: ['ind'],
      exploitationTypes: ['online-scam-compound', 'forced-criminality'],
    });
    const hospital = await system.request<CaseView>(
      'province',
      'GET',
      `/cases/${opening.id}`,
      undefined,
      'member-hospital-tak',
    );
    expect(hospital.body.facts).toEqual({ ageBand: '25-34', gender: 'female', medicalNeed: 'non-urgent' });
    expect(answered.body.deadlines).toContainEqual(
      expect.objectContaining({ kind: 'offer-response', subjectId: legalAid?.id, status: 'met' }),
    );
    await eventually(async () => {
      const inbox = await inboxOf(system, 'member-ngo-mae-sot');
      return inbox.items.some(
        (notice) => notice.caseId === opening.id && notice.kind === 'service-offer.received',
      )
        ? true
        : undefined;
    });

    const assigned = await system.request<CaseView>(
      'province',
      'PUT',
      `/cases/${opening.id}/assignment`,
      {
        caseManagerId: 'u-pswd-tak-02',
        mdtMembers: [
          { userId: 'u-labour-tak-01', organisationId: 'labour-protection-th-63', role: 'labour-inspector' },
        ],
      },
      coordinatorOf('TH-63'),
    );
    expect(assigned.status).toBe(200);

    for (const event of [
      'start_identification',
      'identify_as_victim',
      'start_protection',
      'start_reintegration',
    ]) {
      await step(opening.id, event);
    }
    const followUp = await step(opening.id, 'start_follow_up');
    expect(followUp.followUpVisits.map((visit) => visit.sequence)).toEqual([1, 2, 3, 4]);
    expect(
      followUp.deadlines.filter(
        (deadline) => deadline.kind === 'follow-up-visit' && deadline.status === 'pending',
      ),
    ).toHaveLength(4);
    const visited = await system.request<CaseView>(
      'province',
      'POST',
      `/cases/${opening.id}/follow-up-visits`,
      { visitedOn: '2026-12-20', outcome: 'doing-well' },
      coordinatorOf('TH-63'),
    );
    expect(visited.status).toBe(201);
    expect(visited.body.followUpVisits[0]).toMatchObject({ sequence: 1, outcome: 'doing-well' });
    expect(
      visited.body.deadlines.filter(
        (deadline) => deadline.kind === 'follow-up-visit' && deadline.status === 'met',
      ),
    ).toHaveLength(1);
  });

  it('moves ownership on a transfer, and each coordinator sees the right cases', async () => {
    const opening = await opened();
    const requested = await step(opening.id, 'request_transfer', {
      transferTo: 'TH-10',
      reason: 'The person lives in Bangkok',
    });
    expect(requested).toMatchObject({
      provinceCode: 'TH-63',
      transferTo: 'TH-10',
      state: 'transfer_requested',
    });
    const listed = (province: string) =>
      system
        .request<{ items: { id: string }[] }>(
          'province',
          'GET',
          `/cases?limit=100`,
          undefined,
          coordinatorOf(province),
        )
        .then((r) => r.body.items.map((item) => item.id));
    expect(await listed('TH-10')).toContain(opening.id);
    await eventually(async () => {
      const inbox = await inboxOf(system, 'coordinator-bkk-1');
      return (
        inbox.items.some(
          (notice) => notice.caseId === opening.id && notice.kind === 'case.transfer-requested',
        ) || undefined
      );
    });
    const moved = await step(opening.id, 'accept_transfer');
    expect(moved).toMatchObject({ provinceCode: 'TH-10', transferTo: null, state: 'accepted' });
    expect(await listed('TH-10')).toContain(opening.id);
    expect(await listed('TH-63')).not.toContain(opening.id);
  });

  it('escalates a missed acceptance exactly once, and never fires a deadline met in time', async () => {
    await setPolicy('provincial-acceptance', [4], 'seconds');
    const missed = await opened();
    const kept = await opened();
    await step(kept.id, 'accept');
    await eventually(async () => ((await caseOf(missed.id)).escalatedAt ? true : undefined), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const escalations = await system.sql<{ case_id: string; deadline_kind: string }>(
      'SELECT case_id, deadline_kind FROM province.escalation WHERE case_id = ANY($1::uuid[]) AND reason = $2',
      [[missed.id, kept.id], 'deadline-breached'],
    );
    expect(escalations).toEqual([{ case_id: missed.id, deadline_kind: 'provincial-acceptance' }]);
    const supervisors = await inboxOf(system, 'supervisor-national-1');
    expect(supervisors.items.filter((notice) => notice.caseId === missed.id)).toEqual([
      expect.objectContaining({ kind: 'deadline.breached', urgent: true }),
    ]);
    expect((await caseOf(kept.id)).escalatedAt).toBeNull();
    await setPolicy('provincial-acceptance', [24], 'hours');
  });

  it('offers the next organisation when an offer expires, and escalates when none is left', async () => {
    await setPolicy('offer-response', [3], 'seconds');
    const opening = await opened(THAI_IN_KORAT);
    await step(opening.id, 'accept');
    const settled = await eventually(async () => {
      const current = await caseOf(opening.id);
      const need = current.serviceNeeds.find((candidate) => candidate.service === 'legal-aid');
      return need?.status === 'unavailable' ? current : undefined;
    }, 45_000);
    const legalAid = settled.serviceReferrals.filter((referral) => referral.service === 'legal-aid');
    expect(
      legalAid.map(({ organisationId, state, attempt }) => ({ organisationId, state, attempt })),
    ).toEqual([
      { organisationId: 'lawyers-council-legal-aid', state: 'expired', attempt: 1 },
      { organisationId: 'rights-liberties-protection', state: 'expired', attempt: 2 },
    ]);
    const escalations = settled.escalations.filter((escalation) => escalation.service === 'legal-aid');
    expect(escalations.map((escalation) => escalation.reason).sort()).toEqual([
      'deadline-breached',
      'deadline-breached',
      'no-provider',
    ]);
    await setPolicy('offer-response', [72], 'hours');
  });

  it('fires pending deadlines after Redis loses its data and the province restarts', async () => {
    await setPolicy('provincial-acceptance', [20], 'seconds');
    const opening = await opened();
    await setPolicy('provincial-acceptance', [24], 'hours');
    const keys = await redis.keys(`${system.queuePrefix}:province:*`);
    if (keys.length > 0) await redis.del(...keys);
    await system.service('province').stop('SIGKILL');
    await system.service('province').start();
    const escalated = await eventually(async () => {
      const current = await caseOf(opening.id);
      return current.escalatedAt ? current : undefined;
    }, 40_000);
    expect(escalated.escalations).toEqual([
      expect.objectContaining({ deadlineKind: 'provincial-acceptance' }),
    ]);
  });

  it('applies a changed rule to the next decision without a restart; earlier decisions keep their version', async () => {
    const before = await opened();
    const current = await system.request<{ version: number; rules: object[] }>(
      'routing',
      'GET',
      '/admin/routing-rules',
      undefined,
      ADMIN,
    );
    const published = await system.request<{ version: number }>(
      'routing',
      'POST',
      '/admin/routing-rules',
      {
        note: 'Tak refers its scam-compound cases to Bangkok during the surge',
        rules: [
          {
            id: 'route.surge.tak-to-bangkok',
            description: { en: 'Tak’s surge goes to Bangkok', th: 'กรณีจากตากส่งกรุงเทพฯ ช่วงวิกฤต' },
            when: [{ fact: 'foundInProvince', op: 'equals', value: 'TH-63' }],
            routeTo: 'TH-10',
          },
          ...current.body.rules,
        ],
      },
      ADMIN,
    );
    expect(published.status).toBe(201);
    expect(published.body.version).toBe(current.body.version + 1);
    const after = await opened();
    expect(after.provinceCode).toBe('TH-10');
    expect(after.routing.ruleVersion).toBe(published.body.version);
    expect((await caseOf(before.id)).routing.ruleVersion).toBe(current.body.version);
    const oldDecision = await system.request<{ ruleVersion: number }>(
      'routing',
      'GET',
      `/decisions/${before.id}`,
      undefined,
      SUPERVISOR,
    );
    expect(oldDecision.body.ruleVersion).toBe(current.body.version);

    const invalid = await system.request<{ errors: unknown[] }>(
      'routing',
      'POST',
      '/admin/routing-rules',
      {
        note: 'broken',
        rules: [
          {
            id: 'x.bad',
            description: { en: 'x', th: 'x' },
            when: [{ fact: 'isChild', op: 'in', value: true }],
            urgent: true,
          },
        ],
      },
      ADMIN,
    );
    expect(invalid.status).toBe(400);
    const unchanged = await system.request<{ version: number }>(
      'routing',
      'GET',
      '/admin/routing-rules',
      undefined,
      ADMIN,
    );
    expect(unchanged.body.version).toBe(published.body.version);
  });
});
