import { randomUUID } from 'node:crypto';
import { TestSystem } from '@nrm/testing';

interface Export {
  k: number;
  dimensions: string[];
  groups: Record<string, string | number>[];
  suppressedReferrals: number;
  suppressedGroups: number;
}

/** Referrals as intake stores them, with only the attributes the export reads varying. */
const FIXTURE = [
  {
    count: 12,
    province: 'TH-63',
    ageBand: '25-34',
    gender: 'male',
    nationality: 'IDN',
    types: ['online-scam-compound'],
  },
  {
    count: 11,
    province: 'TH-20',
    ageBand: '18-24',
    gender: 'female',
    nationality: 'KHM',
    types: ['sexual-exploitation'],
  },
  {
    count: 5,
    province: 'TH-10',
    ageBand: '18-24',
    gender: 'female',
    nationality: 'LAO',
    types: ['domestic-servitude'],
  },
  {
    count: 1,
    province: 'TH-57',
    ageBand: '12-17',
    gender: 'male',
    nationality: 'MMR',
    types: ['forced-labour'],
  },
];

describe('the statistics export for research', () => {
  const system = new TestSystem();
  beforeAll(async () => {
    await system.start(['intake']);
    for (const group of FIXTURE) {
      for (let index = 0; index < group.count; index += 1) {
        await system.sql(
          `INSERT INTO intake.referral (id, status, referrer_organisation, came_to_notice_via, province_code, found_on,
             age_band, is_child, gender, nationality, exploitation_types, identity_ciphertext, updated_at)
           VALUES ($1, 'submitted', 'fixture', 'other', $2, '2026-10-01', $3, $4, $5, $6, $7, 'v1.x.x.x', now())`,
          [
            randomUUID(),
            group.province,
            group.ageBand,
            group.ageBand === '12-17',
            group.gender,
            group.nationality,
            group.types,
          ],
        );
      }
    }
  });
  afterAll(() => system.stop());

  it('suppresses every combination seen fewer than 11 times and audits the export', async () => {
    const exported = await system.request<Export>(
      'intake',
      'GET',
      '/statistics/referrals',
      undefined,
      'supervisor',
    );
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual({
      k: 11,
      dimensions: ['province', 'year', 'ageBand', 'gender', 'nationality', 'exploitationType'],
      groups: [
        {
          province: 'TH-63',
          year: '2026',
          ageBand: '25-34',
          gender: 'male',
          nationality: 'IDN',
          exploitationType: 'online-scam-compound',
          referrals: 12,
        },
        {
          province: 'TH-20',
          year: '2026',
          ageBand: '18-24',
          gender: 'female',
          nationality: 'KHM',
          exploitationType: 'sexual-exploitation',
          referrals: 11,
        },
      ],
      suppressedReferrals: 6,
      suppressedGroups: 2,
    });
    // Coarser dimensions let small groups join larger ones: 18-24-year-old women are 16.
    const coarse = await system.request<Export>(
      'intake',
      'GET',
      '/statistics/referrals?dimensions=ageBand,gender',
      undefined,
      'supervisor',
    );
    expect(coarse.body.groups).toEqual([
      { ageBand: '18-24', gender: 'female', referrals: 16 },
      { ageBand: '25-34', gender: 'male', referrals: 12 },
    ]);
    expect(coarse.body.suppressedReferrals).toBe(1);
    const smallerK = await system.request(
      'intake',
      'GET',
      '/statistics/referrals?k=5',
      undefined,
      'supervisor',
    );
    expect(smallerK.status).toBe(400);

    const audit = await system.request<{ action: string; actorId: string; detail: string }[]>(
      'intake',
      'GET',
      '/admin/audit?action=export',
      undefined,
      'auditor',
    );
    expect(audit.body).toHaveLength(2);
    expect(audit.body[1]).toMatchObject({
      actorId: 'supervisor-national-1',
      detail:
        'dimensions=province,year,ageBand,gender,nationality,exploitationType k=11 groups=2 suppressed=6',
    });
  });
});
