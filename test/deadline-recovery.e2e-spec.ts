import Redis from 'ioredis';
import { eventually, TestSystem } from '@nrm/testing';
import { getReferral, submitReferral } from './referral-journey';

/** Long enough for a restart (joining the consumer group takes seconds) to finish before it is due. */
const OPENING_DEADLINE_MS = 25_000;

describe('deadlines after Redis loses its data', () => {
  // Intake alone: nothing opens the referral, so its opening deadline stays pending until it fires.
  const system = new TestSystem({
    DEADLINE_REFERRAL_OPENING_MS: String(OPENING_DEADLINE_MS),
    DEADLINE_RECONCILE_INTERVAL_MS: '600000',
  });
  const redis = new Redis(system.redisUrl);

  beforeAll(() => system.start(['intake']));
  afterAll(async () => {
    redis.disconnect();
    await system.stop();
  });

  it('re-creates the follow-up job from PostgreSQL, and the deadline still fires', async () => {
    const submitted = await submitReferral(system);
    const [deadline] = await system.sql<{ id: string; status: string }>(
      'SELECT id, status FROM intake.deadline WHERE case_id = $1',
      [submitted.body.id],
    );
    expect(deadline?.status).toBe('pending');
    const jobKey = `${system.queuePrefix}:intake:deadlines:${deadline?.id}`;
    // The job is queued just after the referral commits; the answer does not wait for it.
    await eventually(async () => ((await redis.exists(jobKey)) === 1 ? true : undefined), 5_000, 20);

    // What a Redis restart does to a server that keeps nothing on disk: every key of ours is gone.
    const keys = await redis.keys(`${system.queuePrefix}:*`);
    await redis.del(...keys);
    expect(await redis.exists(jobKey)).toBe(0);

    await system.service('intake').stop('SIGKILL');
    await system.service('intake').start();
    expect(await redis.exists(jobKey)).toBe(1);
    expect((await getReferral(system, submitted.body.id)).history).toHaveLength(1);

    const referral = await eventually(async () => {
      const current = await getReferral(system, submitted.body.id);
      return current.history.some((entry) => entry.type === 'referral.deadline-breached')
        ? current
        : undefined;
    }, OPENING_DEADLINE_MS + 15_000);
    expect(referral.history.map((entry) => entry.type)).toEqual([
      'referral.submitted',
      'referral.deadline-breached',
    ]);
    const [settled] = await system.sql<{ status: string }>(
      'SELECT status FROM intake.deadline WHERE id = $1',
      [deadline?.id],
    );
    expect(settled?.status).toBe('breached');
    const breachEvents = await system.sql(
      "SELECT 1 FROM intake.outbox WHERE type = 'referral.deadline-breached' AND key = $1",
      [submitted.body.id],
    );
    expect(breachEvents).toHaveLength(1);
  });
});
