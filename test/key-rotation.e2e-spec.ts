import { randomBytes } from 'node:crypto';
import { keyIdOf } from '@nrm/persistence';
import { TestSystem } from '@nrm/testing';
import { rotateFieldEncryption } from '../tools/db/rotate-keys';
import { exampleReferral } from './intake-journey';

describe('rotating the field encryption key', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const system = new TestSystem({ FIELD_ENCRYPTION_KEY: oldKey.toString('base64') });
  beforeAll(() => system.start(['intake']));
  afterAll(() => system.stop());

  it('re-encrypts every value with the new key, after which the old key is no longer needed', async () => {
    const referral = exampleReferral();
    const first = await system.request<{ id: string }>(
      'intake',
      'POST',
      '/referrals',
      referral,
      'case-worker',
    );
    expect(first.status).toBe(201);
    const draft = await system.request<{ id: string }>(
      'intake',
      'POST',
      '/referrals/drafts',
      { referral: { identity: referral.identity } },
      'case-worker',
    );
    const intake = system.service('intake');

    // The operator deploys the new key with the old one still readable, then rotates.
    intake.setEnvironment({
      FIELD_ENCRYPTION_KEY: newKey.toString('base64'),
      FIELD_ENCRYPTION_PREVIOUS_KEYS: oldKey.toString('base64'),
    });
    await intake.stop();
    await intake.start();
    const rewritten = await rotateFieldEncryption(system.databaseUrl, {
      current: newKey,
      previous: [oldKey],
    });
    expect(rewritten).toMatchObject({
      'intake.referral.identity_ciphertext': 1,
      'intake.referral_draft.ciphertext': 1,
    });
    const stored = await system.sql<{ value: string }>(
      `SELECT identity_ciphertext AS value FROM intake.referral UNION ALL SELECT ciphertext FROM intake.referral_draft`,
    );
    expect(stored.map((row) => row.value.split('.').slice(0, 2).join('.'))).toEqual([
      `v2.${keyIdOf(newKey)}`,
      `v2.${keyIdOf(newKey)}`,
    ]);
    expect(await rotateFieldEncryption(system.databaseUrl, { current: newKey, previous: [] })).toMatchObject({
      'intake.referral.identity_ciphertext': 0,
    });

    // The old key is dropped: everything still reads, and duplicates are still found by document.
    intake.setEnvironment({ FIELD_ENCRYPTION_PREVIOUS_KEYS: '' });
    await intake.stop();
    await intake.start();
    const disclosed = await system.request<{ identity: { fullName: string } }>(
      'intake',
      'POST',
      `/referrals/${first.body.id}/identity`,
      {},
      'case-worker',
    );
    expect(disclosed.body.identity.fullName).toBe((referral.identity as { fullName: string }).fullName);
    expect(
      (await system.request('intake', 'GET', `/referrals/drafts/${draft.body.id}`, undefined, 'case-worker'))
        .status,
    ).toBe(200);
    const again = await system.request<{ possibleDuplicates: { referralId: string; matchedOn: string[] }[] }>(
      'intake',
      'POST',
      '/referrals',
      referral,
      'case-worker',
    );
    expect(again.body.possibleDuplicates).toEqual([
      expect.objectContaining({
        referralId: first.body.id,
        matchedOn: expect.arrayContaining(['documentNumber']),
      }),
    ]);
  });
});
