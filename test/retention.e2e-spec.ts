import { randomUUID } from 'node:crypto';
import { TestSystem } from '@nrm/testing';
import { exampleReferral } from './intake-journey';

describe('retention', () => {
  const system = new TestSystem({ RETENTION_DAYS_AFTER_CLOSURE: '365', DRAFT_RETENTION_DAYS: '30' });
  beforeAll(() => system.start(['intake', 'province']));
  afterAll(() => system.stop());

  const submit = async () =>
    (await system.request<{ id: string }>('intake', 'POST', '/referrals', exampleReferral(), 'case-worker'))
      .body.id;

  it('erases the identifying data and free text of cases closed before the period, and nothing else', async () => {
    const longClosed = await submit();
    const recentlyClosed = await submit();
    const open = await submit();
    await system.sql(
      `UPDATE intake.referral SET case_state = 'closed', updated_at = now() - interval '400 days' WHERE id = $1`,
      [longClosed],
    );
    await system.sql(
      `UPDATE intake.referral SET case_state = 'closed', updated_at = now() - interval '100 days' WHERE id = $1`,
      [recentlyClosed],
    );
    await system.sql(`UPDATE intake.referral SET updated_at = now() - interval '400 days' WHERE id = $1`, [
      open,
    ]);
    const staleDraft = (
      await system.request<{ id: string }>(
        'intake',
        'POST',
        '/referrals/drafts',
        { referral: {} },
        'case-worker',
      )
    ).body.id;
    await system.sql(
      `UPDATE intake.referral_draft SET updated_at = now() - interval '31 days' WHERE id = $1`,
      [staleDraft],
    );

    const closedCase = randomUUID();
    await system.sql(
      `INSERT INTO province.provincial_case (id, province_code, state, updated_at) VALUES ($1, 'TH-63', 'closed', now() - interval '400 days')`,
      [closedCase],
    );
    await system.sql(
      `INSERT INTO province.case_transition (case_id, track, event, from_state, to_state, actor_id, actor_role, reason)
       VALUES ($1, 'case', 'request_closure', 'follow_up', 'closure_requested', 'c-1', 'coordinator', 'Went home to her mother in Dawei')`,
      [closedCase],
    );

    expect(
      (await system.request('intake', 'POST', '/admin/retention/run', undefined, 'case-worker')).status,
    ).toBe(403);
    const intake = await system.request<Record<string, number>>(
      'intake',
      'POST',
      '/admin/retention/run',
      undefined,
      'admin',
    );
    expect(intake.body).toEqual({ referrals: 1, drafts: 1 });
    const province = await system.request<Record<string, number>>(
      'province',
      'POST',
      '/admin/retention/run',
      undefined,
      'admin',
    );
    expect(province.body).toEqual({ cases: 1 });

    const identity = (id: string) =>
      system.request('intake', 'POST', `/referrals/${id}/identity`, {}, 'case-worker').then((r) => r.status);
    expect(await identity(longClosed)).toBe(410);
    expect(await identity(recentlyClosed)).toBe(200);
    expect(await identity(open)).toBe(200);
    const [erased] = await system.sql<{
      document_hmac: string | null;
      anonymised_at: Date | null;
      gender: string;
    }>('SELECT document_hmac, anonymised_at, gender FROM intake.referral WHERE id = $1', [longClosed]);
    expect(erased).toMatchObject({ document_hmac: null, gender: 'male' });
    expect(erased.anonymised_at).not.toBeNull();
    expect(await system.sql('SELECT 1 FROM intake.referral_draft WHERE id = $1', [staleDraft])).toHaveLength(
      0,
    );
    expect(
      await system.sql('SELECT reason FROM province.case_transition WHERE case_id = $1', [closedCase]),
    ).toEqual([{ reason: null }]);

    // Running it again erases nothing more.
    expect((await system.request('intake', 'POST', '/admin/retention/run', undefined, 'admin')).body).toEqual(
      {
        referrals: 0,
        drafts: 0,
      },
    );
  });
});
