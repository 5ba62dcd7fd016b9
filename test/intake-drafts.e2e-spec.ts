import { AccountClaims, TestSystem } from '@nrm/testing';
import { exampleReferral } from './intake-journey';
import { identifyingValues } from './referral-journey';

interface DraftAnswer {
  id?: string;
  referral?: unknown;
  errors?: { field: string }[];
}

const WORKER: AccountClaims = { id: 'case-worker-7', role: 'case-worker' };

describe('referral drafts', () => {
  const system = new TestSystem();
  beforeAll(() => system.start(['intake']));
  afterAll(() => system.stop());

  function call(method: string, path: string, body?: object, actor = WORKER) {
    return system.request<DraftAnswer | undefined>('intake', method, path, body, actor);
  }

  it('saves a partial referral, keeps it to its author, checks every rule on submit and submits once', async () => {
    const full = exampleReferral();
    const partial = { referrer: full.referrer, identity: full.identity };
    const created = await call('POST', '/referrals/drafts', { referral: partial });
    expect(created.status).toBe(201);
    const id = created.body?.id as string;
    expect(created.body?.referral).toEqual(partial);

    const [stored] = await system.sql<{ ciphertext: string }>(
      'SELECT ciphertext FROM intake.referral_draft WHERE id = $1',
      [id],
    );
    for (const secret of identifyingValues()) expect(stored?.ciphertext).not.toContain(secret);

    const stranger = await call('GET', `/referrals/drafts/${id}`, undefined, {
      id: 'someone-else',
      role: 'case-worker',
    });
    expect(stranger.status).toBe(404);

    const tooEarly = await call('POST', `/referrals/drafts/${id}/submit`);
    expect(tooEarly.status).toBe(400);
    expect((tooEarly.body?.errors ?? []).map((error) => error.field)).toEqual(
      expect.arrayContaining(['found', 'person', 'exploitationTypes']),
    );
    expect(await system.sql('SELECT id FROM intake.referral')).toHaveLength(0);

    expect((await call('PUT', `/referrals/drafts/${id}`, { referral: full })).status).toBe(200);
    const submitted = await call('POST', `/referrals/drafts/${id}/submit`);
    expect(submitted.status).toBe(201);
    const again = await call('POST', `/referrals/drafts/${id}/submit`);
    expect(again.status).toBe(200);
    expect(again.body?.id).toBe(submitted.body?.id);
    expect(await system.sql('SELECT id FROM intake.referral')).toHaveLength(1);
    expect(await system.sql('SELECT id FROM intake.referral_draft')).toHaveLength(0);
  });

  it('discards a draft', async () => {
    const created = await call('POST', '/referrals/drafts', { referral: {} });
    expect((await call('DELETE', `/referrals/drafts/${created.body?.id}`)).status).toBe(204);
    expect((await call('GET', `/referrals/drafts/${created.body?.id}`)).status).toBe(404);
  });

  it('refuses draft changes without a valid token, or from a role that does not refer', async () => {
    const body = { referral: {} };
    const anonymous = await system.request('intake', 'POST', '/referrals/drafts', body);
    expect(anonymous.status).toBe(401);
    const forged = await system.request('intake', 'POST', '/referrals/drafts', body, undefined, {
      authorization: `Bearer ${(await system.tokenFor(WORKER)).slice(0, -4)}AAAA`,
    });
    expect(forged.status).toBe(401);
    const coordinator = await call('POST', '/referrals/drafts', body, {
      id: 'c-1',
      role: 'coordinator',
      provinceCode: 'TH-63',
    });
    expect(coordinator.status).toBe(403);
    expect(await system.sql('SELECT id FROM intake.referral_draft')).toHaveLength(0);
  });
});
