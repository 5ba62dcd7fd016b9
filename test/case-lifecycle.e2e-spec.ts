import { randomUUID } from 'node:crypto';
import {
  CASE_EVENTS,
  CASE_STATES,
  CaseEvent,
  SERVICE_REFERRAL_EVENTS,
  shortestCasePaths,
  shortestServiceReferralPaths,
  transitionCase,
  transitionServiceReferral,
} from '@nrm/case-lifecycle';
import { Streams, topicOf } from '@nrm/contracts';
import { AccountClaims, eventMessage, eventually, referralSubmittedPayload, TestSystem } from '@nrm/testing';
import { produceRaw } from './kafka-tap';

const TAK: AccountClaims = { id: 'coordinator-63', role: 'coordinator', provinceCode: 'TH-63' };
const BANGKOK: AccountClaims = { id: 'coordinator-10', role: 'coordinator', provinceCode: 'TH-10' };
/** Reads every case wherever it has moved. */
const SUPERVISOR: AccountClaims = { id: 'supervisor-1', role: 'supervisor' };

/** A transfer is answered by the province asked; every other step by the province holding the case. */
function coordinatorFor(state: string, event: CaseEvent): AccountClaims {
  return state === 'transfer_requested' && (event === 'accept_transfer' || event === 'decline_transfer')
    ? BANGKOK
    : TAK;
}

interface CaseView {
  state: string;
  legalState: string;
  resumeState: string | null;
  provinceCode: string;
  history: unknown[];
  serviceReferrals: { id: string; state: string; consentBasis: string; history: unknown[] }[];
}

/** Cases arrive as intake's and routing's events would bring them. */
async function openCases(system: TestSystem, count: number, consentToShare = true): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await produceRaw(
    system.kafkaBrokers,
    topicOf(Streams.referral),
    ids.map((id) => eventMessage('referral.submitted', id, referralSubmittedPayload(id, { consentToShare }))),
  );
  await produceRaw(
    system.kafkaBrokers,
    topicOf(Streams.routing),
    ids.map((id) =>
      eventMessage('referral.routed', id, {
        referralId: id,
        responsibleProvince: 'TH-63',
        ruleVersion: 1,
        matchedRules: ['t'],
        decisionId: randomUUID(),
        riskGroup: 'A',
        urgency: 'standard',
        offers: [],
      }),
    ),
  );
  await eventually(async () => {
    const facts = await system.sql<{ count: string }>(
      'SELECT count(*) FROM province.case_facts f JOIN province.provincial_case c ON c.id = f.case_id WHERE c.id = ANY($1::uuid[])',
      [ids],
    );
    return Number(facts[0]?.count) === count ? true : undefined;
  }, 60_000);
  return ids;
}

function call(system: TestSystem, method: string, path: string, body?: object, as: AccountClaims = TAK) {
  return system.request<CaseView & { message?: string }>('province', method, path, body, as);
}

const caseStep = (event: CaseEvent) => ({
  event,
  reason: 'recorded in the test',
  ...(event === 'request_transfer' ? { transferTo: 'TH-10' } : {}),
});

describe('the case lifecycle through the province API', () => {
  const system = new TestSystem();
  beforeAll(() => system.start(['province']));
  afterAll(() => system.stop());

  it('allows and records every legal step, and refuses every illegal one with 409, changing nothing', async () => {
    const paths = shortestCasePaths();
    const pairs = CASE_STATES.flatMap((state) => CASE_EVENTS.map((event) => ({ state, event })));
    const ids = await openCases(system, pairs.length);
    let allowed = 0;
    const walkPair = async ({ state, event }: (typeof pairs)[number], index: number) => {
      const id = ids[index];
      for (const step of paths.get(state) ?? []) {
        expect((await call(system, 'POST', `/cases/${id}/events`, caseStep(step))).status).toBe(200);
      }
      const before = await call(system, 'GET', `/cases/${id}`, undefined, SUPERVISOR);
      expect(before.body.state).toBe(state);
      const expected = transitionCase(
        { state, legal: before.body.legalState as 'none', resumeState: before.body.resumeState as null },
        caseStep(event),
        { consentOrBestInterest: true },
      );
      const coordinator = coordinatorFor(state, event);
      const answer = await call(system, 'POST', `/cases/${id}/events`, caseStep(event), coordinator);
      const after = await call(system, 'GET', `/cases/${id}`, undefined, SUPERVISOR);
      if (expected.allowed) {
        allowed += 1;
        expect({ pair: `${state} + ${event}`, status: answer.status }).toEqual({
          pair: `${state} + ${event}`,
          status: 200,
        });
        expect(after.body.history).toHaveLength(before.body.history.length + 1);
        expect(after.body.history.at(-1)).toMatchObject({
          event,
          from: expected.from,
          to: expected.to,
          actor: { id: coordinator.id, role: 'coordinator', organisationId: null },
          reason: 'recorded in the test',
        });
      } else {
        expect({ pair: `${state} + ${event}`, status: answer.status }).toEqual({
          pair: `${state} + ${event}`,
          status: 409,
        });
        expect(answer.body.message).toBe(expected.refusal);
        expect(after.body).toEqual(before.body);
      }
    };
    // A coordinator team's worth of concurrent requests, not a denial of service.
    for (let start = 0; start < pairs.length; start += 20) {
      await Promise.all(pairs.slice(start, start + 20).map((pair, offset) => walkPair(pair, start + offset)));
    }
    expect(allowed).toBeGreaterThan(20);
    const events = await system.sql<{ count: string }>(
      "SELECT count(*) FROM province.outbox WHERE type = 'case.transitioned'",
    );
    const transitions = await system.sql<{ count: string }>('SELECT count(*) FROM province.case_transition');
    expect(events[0]?.count).toBe(transitions[0]?.count);
  });

  it('moves ownership on an accepted transfer', async () => {
    const [id] = await openCases(system, 1);
    await call(system, 'POST', `/cases/${id}/events`, caseStep('request_transfer'));
    const inBangkok = await call(system, 'GET', '/cases?state=transfer_requested', undefined, BANGKOK);
    expect(inBangkok.body).toMatchObject({
      items: expect.arrayContaining([
        expect.objectContaining({ id, provinceCode: 'TH-63', transferTo: 'TH-10' }),
      ]),
    });
    const byTheWrongProvince = await call(system, 'POST', `/cases/${id}/events`, {
      event: 'accept_transfer',
    });
    expect(byTheWrongProvince.status).toBe(403);
    const accepted = await call(system, 'POST', `/cases/${id}/events`, { event: 'accept_transfer' }, BANGKOK);
    expect(accepted.body).toMatchObject({ state: 'accepted', provinceCode: 'TH-10', transferTo: null });
    // Tak no longer holds it: to Tak it is as if it did not exist.
    expect((await call(system, 'GET', `/cases/${id}`)).status).toBe(404);
  });

  it('refuses protection without consent, and a service offer without consent unless overridden with a reason', async () => {
    const [id] = await openCases(system, 1, false);
    for (const event of ['accept', 'start_identification', 'identify_as_victim'] as const) {
      await call(system, 'POST', `/cases/${id}/events`, caseStep(event));
    }
    const protection = await call(system, 'POST', `/cases/${id}/events`, { event: 'start_protection' });
    expect(protection.status).toBe(409);
    const offer = await call(system, 'POST', `/cases/${id}/service-referrals`, {
      service: 'shelter',
      organisationId: 'ngo-a',
    });
    expect(offer.status).toBe(409);
    const overridden = await call(system, 'POST', `/cases/${id}/service-referrals`, {
      service: 'medical',
      organisationId: 'mae-sot-hospital',
      overrideReason: 'Life-threatening injury; the person cannot consent now',
    });
    expect(overridden.status).toBe(201);
    expect(overridden.body.serviceReferrals).toEqual([
      expect.objectContaining({ consentBasis: 'override', state: 'offered' }),
    ]);
  });

  it('walks every (state, event) pair of a service referral', async () => {
    const [id] = await openCases(system, 1);
    await call(system, 'POST', `/cases/${id}/events`, caseStep('accept'));
    const paths = shortestServiceReferralPaths();
    for (const [state, path] of paths) {
      for (const event of SERVICE_REFERRAL_EVENTS) {
        const offered = await call(system, 'POST', `/cases/${id}/service-referrals`, {
          service: 'shelter',
          organisationId: 'ngo-b',
        });
        const referral = offered.body.serviceReferrals.at(-1) as CaseView['serviceReferrals'][number];
        for (const step of path) {
          await call(system, 'POST', `/cases/${id}/service-referrals/${referral.id}/events`, {
            event: step,
            reason: 'other',
          });
        }
        const expected = transitionServiceReferral(state, { event, reason: 'other' });
        const answer = await call(system, 'POST', `/cases/${id}/service-referrals/${referral.id}/events`, {
          event,
          reason: 'other',
        });
        const now =
          answer.status === 200
            ? answer.body
            : (await call(system, 'GET', `/cases/${id}`, undefined, SUPERVISOR)).body;
        const current = now.serviceReferrals.find((candidate) => candidate.id === referral.id);
        expect({ pair: `${state} + ${event}`, status: answer.status, state: current?.state }).toEqual({
          pair: `${state} + ${event}`,
          status: expected.allowed ? 200 : 409,
          state: expected.allowed ? expected.next : state,
        });
      }
    }
  });

  it('lists cases with filters and a cursor that pages through all of them exactly once', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { items?: { id: string }[]; nextCursor?: string | null } } = (await call(
        system,
        'GET',
        `/cases?province=TH-63&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
      )) as never;
      for (const item of page.body.items ?? []) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
      }
      cursor = page.body.nextCursor ?? null;
      pages += 1;
    } while (cursor);
    const total = await system.sql<{ count: string }>(
      "SELECT count(*) FROM province.provincial_case WHERE province_code = 'TH-63' OR transfer_to = 'TH-63'",
    );
    expect(seen.size).toBe(Number(total[0]?.count));
    expect(pages).toBeGreaterThan(2);
  });
});
