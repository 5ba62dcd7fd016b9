import { ServiceName } from '@nrm/config';
import { TestSystem } from '@nrm/testing';
import { submitReferral, untilNotified } from './referral-journey';

const REFERRALS = 60;

async function crash(system: TestSystem, service: ServiceName): Promise<void> {
  await system.service(service).stop('SIGKILL');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await system.service(service).start();
}

describe('a service killed while referrals are flowing', () => {
  const system = new TestSystem();

  beforeAll(() => system.start(['intake', 'routing', 'province', 'notifications']));
  afterAll(() => system.stop());

  it('loses no referral and applies none twice', async () => {
    const ids: string[] = [];
    const crashes: Promise<void>[] = [];
    const crashAt: Record<number, ServiceName> = { 10: 'routing', 25: 'province', 40: 'notifications' };
    for (let index = 0; index < REFERRALS; index += 1) {
      const victim = crashAt[index];
      if (victim) crashes.push(crash(system, victim));
      const submitted = await submitReferral(system);
      expect(submitted.status).toBe(201);
      ids.push(submitted.body.id);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await Promise.all(crashes);
    await crash(system, 'intake');

    for (const id of ids) await untilNotified(system, id, 90_000);

    const counts = await system.sql<{ name: string; count: string }>(`
      SELECT 'routing decisions' AS name, count(*) FROM routing.routing_decision
      UNION ALL SELECT 'routed events', count(*) FROM routing.outbox WHERE type = 'referral.routed'
      UNION ALL SELECT 'provincial cases', count(*) FROM province.provincial_case
      UNION ALL SELECT 'opened events', count(*) FROM province.outbox WHERE type = 'case.opened'
      UNION ALL SELECT 'notifications', count(*) FROM notifications.notice WHERE kind = 'case.opened'
      UNION ALL SELECT 'recorded events', count(*) FROM notifications.outbox
        WHERE type = 'notification.recorded' AND envelope->'payload'->>'kind' = 'case.opened'`);
    expect(Object.fromEntries(counts.map((row) => [row.name, Number(row.count)]))).toEqual({
      'routing decisions': REFERRALS,
      'routed events': REFERRALS,
      'provincial cases': REFERRALS,
      'opened events': REFERRALS,
      notifications: REFERRALS,
      'recorded events': REFERRALS,
    });
    const repeatedHistory = await system.sql(
      'SELECT referral_id, type FROM intake.referral_history GROUP BY 1, 2 HAVING count(*) > 1',
    );
    expect(repeatedHistory).toEqual([]);
    const historyLength = await system.sql<{ count: string }>(
      'SELECT count(*) FROM intake.referral_history WHERE referral_id = ANY($1::uuid[])',
      [ids],
    );
    expect(Number(historyLength[0]?.count)).toBe(REFERRALS * 4);
  });
});
