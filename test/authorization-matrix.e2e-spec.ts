import { randomUUID } from 'node:crypto';
import { ServiceName } from '@nrm/config';
import { AccountClaims, eventually, TestSystem } from '@nrm/testing';
import { EXAMPLE_REFERRAL, submitReferral, untilNotified } from './referral-journey';

type Role = 'case-worker' | 'organisation-member' | 'coordinator' | 'supervisor' | 'admin' | 'auditor';
const ROLES: Role[] = ['case-worker', 'organisation-member', 'coordinator', 'supervisor', 'admin', 'auditor'];

/**
 * What a row is scoped by: the case (its province, or an offer to the caller's
 * organisation), one offer, the referral's submitter, the routing decision's
 * province, or the account itself. Out of scope answers 404 (403 for an account).
 */
type Scope = 'case' | 'offer' | 'referral' | 'decision' | 'self';

/** Who acts, in their own scope (the case's province, the organisation offered, the submitter) and outside it. */
const ACTORS: Record<Role, { own: string | AccountClaims; other?: string | AccountClaims }> = {
  'case-worker': { own: 'case-worker', other: { id: 'case-worker-elsewhere', role: 'case-worker' } },
  'organisation-member': {
    own: 'member-hospital-tak',
    other: { id: 'member-elsewhere', role: 'organisation-member', organisationId: 'cfh-th-57' },
  },
  coordinator: { own: 'coordinator-tak-1', other: 'coordinator-bkk-1' },
  supervisor: { own: 'supervisor' },
  admin: { own: 'admin' },
  auditor: { own: 'auditor' },
};

interface Ids {
  caseId: string;
  offerId: string;
  ownAccount: string;
}

interface Row {
  service: ServiceName;
  method: string;
  path: string;
  /** The path with the fixture's ids. */
  at: (ids: Ids) => string;
  body?: object;
  roles: Role[];
  scope?: Scope;
}

const EVERYONE = ROLES;
const everywhere = (path: string) => path;
const row = (
  service: ServiceName,
  method: string,
  path: string,
  roles: Role[],
  options: { at?: (ids: Ids) => string; body?: object; scope?: Scope } = {},
): Row => ({
  service,
  method,
  path,
  roles,
  at: options.at ?? (() => everywhere(path)),
  body: options.body,
  scope: options.scope,
});

const someId = randomUUID();
const onCase =
  (suffix = '') =>
  (ids: Ids) =>
    `/cases/${ids.caseId}${suffix}`;

const deadLetters = (service: ServiceName): Row[] => [
  row(service, 'GET', '/admin/dead-letters', ['admin']),
  row(service, 'POST', '/admin/dead-letters/{id}/replay', ['admin'], {
    at: () => `/admin/dead-letters/${someId}/replay`,
  }),
  row(service, 'POST', '/admin/dead-letters/{id}/discard', ['admin'], {
    at: () => `/admin/dead-letters/${someId}/discard`,
  }),
];
const retention = (service: ServiceName): Row[] => [row(service, 'POST', '/admin/retention/run', ['admin'])];
const audit = (service: ServiceName): Row[] => [
  row(service, 'GET', '/admin/audit', ['auditor']),
  row(service, 'GET', '/admin/audit/verify', ['auditor']),
];

/** Every endpoint of every service, with the roles allowed; the first test checks none is missing. */
const MATRIX: Row[] = [
  row('intake', 'POST', '/referrals', ['case-worker'], { body: {} }),
  row('intake', 'POST', '/referrals/batch', ['case-worker'], { body: [] }),
  row('intake', 'GET', '/referrals', ['case-worker']),
  row('intake', 'GET', '/referrals/{id}', ['case-worker'], {
    at: (ids) => `/referrals/${ids.caseId}`,
    scope: 'referral',
  }),
  row('intake', 'POST', '/referrals/{id}/withdraw', ['case-worker'], {
    at: (ids) => `/referrals/${ids.caseId}/withdraw`,
    body: {},
  }),
  row('intake', 'POST', '/referrals/{id}/identity', ['case-worker', 'supervisor'], {
    at: (ids) => `/referrals/${ids.caseId}/identity`,
    body: {},
    scope: 'referral',
  }),
  row('intake', 'POST', '/referrals/drafts', ['case-worker'], { body: { referral: {} } }),
  row('intake', 'GET', '/referrals/drafts', ['case-worker']),
  row('intake', 'GET', '/referrals/drafts/{id}', ['case-worker'], {
    at: () => `/referrals/drafts/${someId}`,
  }),
  row('intake', 'PUT', '/referrals/drafts/{id}', ['case-worker'], {
    at: () => `/referrals/drafts/${someId}`,
    body: { referral: {} },
  }),
  row('intake', 'DELETE', '/referrals/drafts/{id}', ['case-worker'], {
    at: () => `/referrals/drafts/${someId}`,
  }),
  row('intake', 'POST', '/referrals/drafts/{id}/submit', ['case-worker'], {
    at: () => `/referrals/drafts/${someId}/submit`,
  }),
  row('intake', 'GET', '/statistics/referrals', ['supervisor']),
  ...deadLetters('intake'),
  ...retention('intake'),
  ...audit('intake'),

  row('routing', 'GET', '/admin/routing-rules', ['coordinator', 'supervisor', 'admin']),
  row('routing', 'GET', '/admin/routing-rules/versions', ['coordinator', 'supervisor', 'admin']),
  row('routing', 'GET', '/admin/routing-rules/versions/{version}', ['coordinator', 'supervisor', 'admin'], {
    at: () => '/admin/routing-rules/versions/1',
  }),
  row('routing', 'POST', '/admin/routing-rules', ['admin'], { body: {} }),
  row('routing', 'GET', '/directory/provinces', EVERYONE),
  row('routing', 'GET', '/directory/provinces/{code}', EVERYONE, { at: () => '/directory/provinces/TH-63' }),
  row('routing', 'PUT', '/directory/provinces/{code}', ['admin'], {
    at: () => '/directory/provinces/TH-63',
    body: {},
  }),
  row('routing', 'GET', '/directory/organisations', EVERYONE),
  row('routing', 'GET', '/directory/organisations/{id}', EVERYONE, {
    at: () => '/directory/organisations/hospital-th-63',
  }),
  row('routing', 'PUT', '/directory/organisations/{id}', ['admin'], {
    at: () => '/directory/organisations/hospital-th-63',
    body: {},
  }),
  row('routing', 'PUT', '/directory/organisations/{id}/services/{service}/capacity', ['admin'], {
    at: () => '/directory/organisations/hospital-th-63/services/medical-care/capacity',
    body: {},
  }),
  row('routing', 'POST', '/decisions/preview', ['admin'], { body: {} }),
  row('routing', 'GET', '/decisions/{referralId}', ['coordinator', 'supervisor'], {
    at: (ids) => `/decisions/${ids.caseId}`,
    scope: 'decision',
  }),
  ...deadLetters('routing'),
  ...audit('routing'),

  row('province', 'GET', '/cases', ['coordinator', 'supervisor', 'organisation-member']),
  row('province', 'GET', '/cases/{id}', ['coordinator', 'supervisor', 'organisation-member'], {
    at: onCase(),
    scope: 'case',
  }),
  row('province', 'POST', '/cases/{id}/events', ['coordinator'], {
    at: onCase('/events'),
    body: { event: 'approve_closure' },
    scope: 'case',
  }),
  row('province', 'POST', '/cases/{id}/service-referrals', ['coordinator'], {
    at: onCase('/service-referrals'),
    body: { service: 'legal-aid', organisationId: 'lawyers-council-legal-aid' },
    scope: 'case',
  }),
  row(
    'province',
    'POST',
    '/cases/{id}/service-referrals/{serviceReferralId}/events',
    ['coordinator', 'organisation-member'],
    {
      at: (ids) => `/cases/${ids.caseId}/service-referrals/${ids.offerId}/events`,
      body: { event: 'complete_successfully' },
      scope: 'offer',
    },
  ),
  row('province', 'PUT', '/cases/{id}/assignment', ['coordinator'], {
    at: onCase('/assignment'),
    body: { caseManagerId: 'u-pswd-tak-02', mdtMembers: [] },
    scope: 'case',
  }),
  row('province', 'POST', '/cases/{id}/hold-extensions', ['coordinator'], {
    at: onCase('/hold-extensions'),
    body: { courtOrderReference: 'Tak Provincial Court 1/2569', extraDays: 1 },
    scope: 'case',
  }),
  row('province', 'POST', '/cases/{id}/follow-up-visits', ['coordinator'], {
    at: onCase('/follow-up-visits'),
    body: { visitedOn: '2026-11-21', outcome: 'doing-well' },
    scope: 'case',
  }),
  row('province', 'POST', '/cases/{id}/escalations/{escalationId}/resolve', ['coordinator'], {
    at: (ids) => `/cases/${ids.caseId}/escalations/${someId}/resolve`,
    body: { resolution: 'Handled by phone' },
    scope: 'case',
  }),
  row('province', 'GET', '/escalations', ['coordinator', 'supervisor']),
  row('province', 'GET', '/admin/deadline-policies', ['coordinator', 'supervisor', 'admin']),
  row('province', 'PUT', '/admin/deadline-policies/{kind}', ['admin'], {
    at: () => '/admin/deadline-policies/s29-hold',
    body: {},
  }),
  row('province', 'GET', '/admin/holidays', ['coordinator', 'supervisor', 'admin']),
  row('province', 'PUT', '/admin/holidays', ['admin'], { body: {} }),
  ...deadLetters('province'),
  ...retention('province'),
  ...audit('province'),

  row('notifications', 'GET', '/inbox', EVERYONE),
  row('notifications', 'GET', '/inbox/unread-count', EVERYONE),
  row('notifications', 'POST', '/inbox/read', EVERYONE, { body: { noticeIds: [someId] } }),
  row('notifications', 'GET', '/subscribers/{accountId}', EVERYONE, {
    at: (ids) => `/subscribers/${ids.ownAccount}`,
    scope: 'self',
  }),
  row('notifications', 'PUT', '/subscribers/{accountId}/preferences', EVERYONE, {
    at: (ids) => `/subscribers/${ids.ownAccount}/preferences`,
    body: { language: 'th', channels: [] },
    scope: 'self',
  }),
  row('notifications', 'GET', '/deliveries', ['supervisor', 'admin']),
  row('notifications', 'GET', '/deliveries/{id}', ['supervisor', 'admin'], {
    at: () => `/deliveries/${someId}`,
  }),
  row('notifications', 'POST', '/deliveries/{id}/resend', ['admin'], {
    at: () => `/deliveries/${someId}/resend`,
  }),
  row('notifications', 'POST', '/admin/webhook-endpoints', ['admin'], { body: {} }),
  row('notifications', 'GET', '/admin/webhook-endpoints', ['admin']),
  row('notifications', 'GET', '/admin/webhook-endpoints/{id}', ['admin'], {
    at: () => `/admin/webhook-endpoints/${someId}`,
  }),
  row('notifications', 'POST', '/admin/webhook-endpoints/{id}/enable', ['admin'], {
    at: () => `/admin/webhook-endpoints/${someId}/enable`,
  }),
  row('notifications', 'GET', '/admin/digest', ['admin']),
  row('notifications', 'POST', '/admin/digest', ['admin']),
  ...deadLetters('notifications'),
  ...audit('notifications'),

  row('oversight', 'GET', '/oversight/dashboard', ['supervisor']),
  row('oversight', 'GET', '/oversight/cases', ['supervisor']),
  row('oversight', 'GET', '/oversight/cases/{caseId}/timeline', ['supervisor'], {
    at: (ids) => `/oversight/cases/${ids.caseId}/timeline`,
  }),
  ...deadLetters('oversight'),
  ...audit('oversight'),
];

const OUTSIDE_THE_MATRIX = ['GET /health', 'GET /metrics'];

/** What an out-of-scope caller is told: the record does not exist (or, for an account, that it is not theirs). */
const OUT_OF_SCOPE: Record<Scope, { status: number; message?: string }> = {
  case: { status: 404, message: 'No such case' },
  offer: { status: 404 },
  referral: { status: 404, message: 'No such referral' },
  decision: { status: 404, message: 'No such routing decision' },
  self: { status: 403 },
};

function accountId(account: string | AccountClaims, ids: { resolve: (id: string) => string }): string {
  return typeof account === 'string' ? ids.resolve(account) : account.id;
}

describe('the authorisation matrix: every endpoint × role × own scope or another', () => {
  const system = new TestSystem();
  let fixture: Omit<Ids, 'ownAccount'>;

  beforeAll(async () => {
    await system.start(['intake', 'routing', 'province', 'notifications', 'oversight']);
    const submitted = await submitReferral(system, EXAMPLE_REFERRAL);
    await untilNotified(system, submitted.body.id);
    const accepted = await system.request<{ serviceReferrals: { id: string; organisationId: string }[] }>(
      'province',
      'POST',
      `/cases/${submitted.body.id}/events`,
      { event: 'accept' },
      'coordinator-tak-1',
    );
    const offer = accepted.body.serviceReferrals.find(
      (referral) => referral.organisationId === 'hospital-th-63',
    );
    if (!offer) throw new Error('The example case was not offered to the Tak hospital');
    fixture = { caseId: submitted.body.id, offerId: offer.id };
    await eventually(async () => {
      const decision = await system.request(
        'routing',
        'GET',
        `/decisions/${fixture.caseId}`,
        undefined,
        'supervisor',
      );
      return decision.status === 200 ? true : undefined;
    });
  });
  afterAll(() => system.stop());

  it('covers every endpoint each service documents', async () => {
    for (const service of ['intake', 'routing', 'province', 'notifications', 'oversight'] as const) {
      const document = (await fetch(`${system.url(service)}/docs-json`).then((r) => r.json())) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const documented = Object.entries(document.paths)
        .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
        // Not a person's endpoints: /health is open, /metrics needs the scrape token (test/metrics.e2e-spec.ts).
        .filter((endpoint) => !OUTSIDE_THE_MATRIX.includes(endpoint))
        .sort();
      const covered = MATRIX.filter((entry) => entry.service === service)
        .map((entry) => `${entry.method} ${entry.path}`)
        .sort();
      expect({ service, endpoints: covered }).toEqual({ service, endpoints: documented });
    }
  });

  it('refuses every endpoint but health without a token', async () => {
    for (const entry of MATRIX) {
      const response = await system.request(
        entry.service,
        entry.method,
        entry.at({ ...fixture, ownAccount: 'x' }),
        entry.body,
      );
      expect({ endpoint: `${entry.method} ${entry.path}`, status: response.status }).toEqual({
        endpoint: `${entry.method} ${entry.path}`,
        status: 401,
      });
    }
    expect((await fetch(`${system.url('province')}/health`)).status).toBe(200);
  });

  const resolve = (id: string) => {
    const demo: Record<string, string> = {
      'case-worker': 'case-worker-police-tak',
      supervisor: 'supervisor-national-1',
      admin: 'admin-1',
      auditor: 'auditor-1',
    };
    return demo[id] ?? id;
  };

  it.each(ROLES)('gives %s exactly what its role and scope allow', async (role) => {
    const outcomes: {
      endpoint: string;
      caller: string;
      expected: string;
      status: number;
      message?: string;
    }[] = [];
    for (const entry of MATRIX) {
      const { own, other } = ACTORS[role];
      for (const [which, account] of [
        ['own', own],
        ['other', other],
      ] as const) {
        if (!account) continue;
        const ownAccount = accountId(own, { resolve });
        const response = await system.request<{ message?: string }>(
          entry.service,
          entry.method,
          entry.at({ ...fixture, ownAccount }),
          entry.body,
          account,
        );
        const allowedRole = entry.roles.includes(role);
        // A coordinator elsewhere, another organisation, another case worker: outside the record's scope.
        const outside = which === 'other' && entry.scope !== undefined;
        const expected = !allowedRole ? 'role refused' : outside ? 'out of scope' : 'allowed';
        outcomes.push({
          endpoint: `${entry.method} ${entry.path}`,
          caller: which,
          expected,
          status: response.status,
          message: response.body?.message,
        });
      }
    }
    const wrong = outcomes.filter((outcome) => {
      if (outcome.expected === 'role refused') return outcome.status !== 403;
      const entry = MATRIX.find(
        (candidate) => `${candidate.method} ${candidate.path}` === outcome.endpoint,
      ) as Row;
      if (outcome.expected === 'out of scope') {
        const refusal = OUT_OF_SCOPE[entry.scope as Scope];
        return (
          outcome.status !== refusal.status ||
          (refusal.message !== undefined && outcome.message !== refusal.message)
        );
      }
      const scopeRefusal = entry.scope ? OUT_OF_SCOPE[entry.scope] : undefined;
      return (
        outcome.status === 401 ||
        outcome.status === 403 ||
        (scopeRefusal?.message !== undefined && outcome.message === scopeRefusal.message)
      );
    });
    expect(wrong).toEqual([]);
    expect(outcomes.length).toBeGreaterThanOrEqual(MATRIX.length);
  });
});
