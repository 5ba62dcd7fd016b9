import { AccountClaims, TestSystem } from '@nrm/testing';
import { exampleReferral } from './intake-journey';

const WORKER: AccountClaims = { id: 'case-worker-audit', role: 'case-worker' };
const STRANGER: AccountClaims = { id: 'case-worker-other', role: 'case-worker' };
const COORDINATOR: AccountClaims = { id: 'coordinator-audit', role: 'coordinator', provinceCode: 'TH-63' };

interface Entry {
  sequence: string;
  reason: string | null;
  actorId: string;
  action: string;
  subject: string;
  detail: string | null;
}

describe('the audit trail, and the HTTP hardening around it', () => {
  const system = new TestSystem({ RATE_LIMIT_PER_MINUTE: '80' });
  beforeAll(() => system.start(['intake']));
  afterAll(() => system.stop());

  const entries = async () =>
    (await system.request<Entry[]>('intake', 'GET', '/admin/audit?limit=500', undefined, 'auditor')).body;

  it('records changes, reads of identifying data and every denied access, for auditors only', async () => {
    const created = await system.request<{ id: string }>(
      'intake',
      'POST',
      '/referrals/drafts',
      { referral: { identity: exampleReferral().identity } },
      WORKER,
    );
    const draft = created.body.id;
    expect(
      (await system.request('intake', 'GET', `/referrals/drafts/${draft}`, undefined, WORKER)).status,
    ).toBe(200);
    expect(
      (await system.request('intake', 'GET', `/referrals/drafts/${draft}`, undefined, STRANGER)).status,
    ).toBe(404);
    expect((await system.request('intake', 'GET', `/referrals/drafts/${draft}`)).status).toBe(401);
    expect((await system.request('intake', 'POST', '/referrals/drafts', {}, COORDINATOR)).status).toBe(403);
    expect((await system.request('intake', 'GET', '/admin/audit', undefined, 'admin')).status).toBe(403);

    const trail = (await entries()).reverse();
    expect(
      trail.map(({ actorId, action, subject, detail }) => ({ actorId, action, subject, detail })),
    ).toEqual([
      { actorId: WORKER.id, action: 'change', subject: 'POST /referrals/drafts', detail: null },
      {
        actorId: WORKER.id,
        action: 'read',
        subject: 'GET /referrals/drafts/:id',
        detail: `draft with identity id=${draft}`,
      },
      {
        actorId: STRANGER.id,
        action: 'denied',
        subject: 'GET /referrals/drafts/:id',
        detail: `status=404 draft=${draft}`,
      },
      { actorId: 'anonymous', action: 'denied', subject: 'GET /referrals/drafts/:id', detail: 'status=401' },
      { actorId: COORDINATOR.id, action: 'denied', subject: 'POST /referrals/drafts', detail: 'status=403' },
      { actorId: 'admin-1', action: 'denied', subject: 'GET /admin/audit', detail: 'status=403' },
    ]);
    const serialised = JSON.stringify(trail);
    for (const value of Object.values(exampleReferral().identity as Record<string, string>))
      expect(serialised).not.toContain(value);
  });

  it('masks identifying data: the referring case worker reads it back, a supervisor only with a reason', async () => {
    const referral = exampleReferral();
    const submitted = await system.request<{ id: string }>('intake', 'POST', '/referrals', referral, WORKER);
    expect(submitted.status).toBe(201);
    const path = `/referrals/${submitted.body.id}/identity`;
    const own = await system.request<{ identity: { fullName: string } }>('intake', 'POST', path, {}, WORKER);
    expect(own.status).toBe(200);
    expect(own.body.identity.fullName).toBe((referral.identity as { fullName: string }).fullName);
    expect((await system.request('intake', 'POST', path, {}, STRANGER)).status).toBe(404);
    expect((await system.request('intake', 'POST', path, {}, 'supervisor')).status).toBe(400);
    const reason = 'Embassy asked to confirm identity for repatriation';
    expect((await system.request('intake', 'POST', path, { reason }, 'supervisor')).status).toBe(200);

    const disclosures = (await entries()).filter((entry) => entry.subject === 'POST /referrals/:id/identity');
    expect(
      disclosures.reverse().map(({ actorId, action, reason: given }) => ({ actorId, action, reason: given })),
    ).toEqual([
      { actorId: WORKER.id, action: 'read', reason: null },
      { actorId: STRANGER.id, action: 'denied', reason: null },
      { actorId: 'supervisor-national-1', action: 'read', reason },
    ]);
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the application, and shows an edit made around that', async () => {
    // Changes made at the same moment are appended together; the chain must stay one unbroken line.
    const before = (await entries()).length;
    const simultaneous = await Promise.all(
      Array.from({ length: 10 }, () =>
        system.request(
          'intake',
          'POST',
          '/referrals/drafts',
          { referral: { identity: exampleReferral().identity } },
          WORKER,
        ),
      ),
    );
    expect(simultaneous.map(({ status }) => status)).toEqual(Array(10).fill(201));
    expect((await entries()).length).toBe(before + 10);

    // A referral's entry commits in the statement that writes it, those submitted together in one
    // group; a resend (the same Idempotency-Key) changes nothing but is on the trail too.
    const resent = { 'idempotency-key': 'audit-resend' };
    const submissions = await Promise.all([
      ...Array.from({ length: 4 }, () =>
        system.request('intake', 'POST', '/referrals', exampleReferral(), WORKER),
      ),
      system.request('intake', 'POST', '/referrals', exampleReferral(), WORKER, resent),
    ]);
    expect(submissions.map(({ status }) => status)).toEqual(Array(5).fill(201));
    const again = await system.request('intake', 'POST', '/referrals', exampleReferral(), WORKER, resent);
    expect(again.status).toBe(200);
    const latest = (await entries()).slice(0, 6);
    expect(latest.map(({ actorId, action, subject }) => ({ actorId, action, subject }))).toEqual(
      Array(6).fill({ actorId: WORKER.id, action: 'change', subject: 'POST /referrals' }),
    );

    for (const statement of [
      "UPDATE intake.audit_entry SET actor_id = 'someone-else'",
      'DELETE FROM intake.audit_entry',
      'TRUNCATE intake.audit_entry',
    ]) {
      await expect(system.sql(statement)).rejects.toThrow(/audit_entry is append-only/);
    }
    const intact = await system.request<{ intact: boolean; entries: number }>(
      'intake',
      'GET',
      '/admin/audit/verify',
      undefined,
      'auditor',
    );
    expect(intact.body).toMatchObject({ intact: true });
    expect(intact.body.entries).toBe(before + 16);

    // Only the table's owner can switch the triggers off; the chain still shows what was done.
    const [second] = (await entries()).reverse().slice(1, 2);
    await system.sql(`ALTER TABLE intake.audit_entry DISABLE TRIGGER audit_entry_no_update_or_delete`);
    await system.sql(`UPDATE intake.audit_entry SET actor_id = 'someone-else' WHERE sequence = $1`, [
      second.sequence,
    ]);
    await system.sql(`ALTER TABLE intake.audit_entry ENABLE TRIGGER audit_entry_no_update_or_delete`);
    const broken = await system.request<{ intact: boolean; brokenAt: string }>(
      'intake',
      'GET',
      '/admin/audit/verify',
      undefined,
      'auditor',
    );
    expect(broken.body).toMatchObject({ intact: false, brokenAt: second.sequence });
  });

  it('sends security headers, and answers 429 once a caller passes the rate limit', async () => {
    const response = await fetch(`${system.url('intake')}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const statuses: number[] = [];
    for (let request = 0; request < 85; request += 1)
      statuses.push((await fetch(`${system.url('intake')}/health`)).status);
    expect(statuses).toContain(429);
  });
});
