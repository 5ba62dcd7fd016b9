import { Job, Queue, Worker } from 'bullmq';
import express, { Request } from 'express';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { redisConnection } from '@nrm/scheduling';
import { chooseTestInfrastructure, dropQueueKeys, eventually } from '@nrm/testing';
import { createQueueBoard, QueueBoard } from './queue-board';

interface BoardQueue {
  name: string;
  displayName: string;
  counts: Record<string, number>;
}

const BASE_PATH = '/admin/queues';
const asAdmin = { 'x-test-role': 'admin' };

describe('the queue board', () => {
  const redisUrl = chooseTestInfrastructure().redisUrl;
  const prefix = `nrm-board-test-${randomBytes(4).toString('hex')}`;
  const connection = redisConnection(redisUrl);
  const queueOf = (service: string, name: string) =>
    new Queue(name, { connection, prefix: `${prefix}:${service}` });
  const deliveries = queueOf('notifications', 'delivery-email');
  const deadlines = queueOf('province', 'deadlines');
  const retention = queueOf('intake', 'retention');
  const attempted = new Set<string>();
  // Fails each job's first run: the retry through the board is what completes it.
  const worker = new Worker(
    deliveries.name,
    (job: Job) => {
      if (attempted.has(job.id ?? '')) return Promise.resolve();
      attempted.add(job.id ?? '');
      return Promise.reject(new Error('The SMTP server refused the connection'));
    },
    { connection, prefix: `${prefix}:notifications` },
  );
  let board: QueueBoard;
  const app = express();

  beforeAll(async () => {
    board = createQueueBoard({
      redisUrl,
      queuePrefix: prefix,
      basePath: BASE_PATH,
      authorize: (incoming: Request) => incoming.header('x-test-role') === 'admin',
      rediscoverAfterMs: 0,
    });
    app.use(BASE_PATH, board.router);
    await deadlines.add('deadline', { deadlineId: 'd-1' }, { jobId: 'd-1', delay: 3_600_000 });
    await retention.add('retention', {});
  });

  afterAll(async () => {
    await worker.close();
    await Promise.all([deliveries, deadlines, retention].map((queue) => queue.close()));
    await board.close();
    await dropQueueKeys(redisUrl, prefix);
  });

  const listed = async () => {
    const response = await request(app).get(`${BASE_PATH}/api/queues`).set(asAdmin);
    expect(response.status).toBe(200);
    return (response.body as { queues: BoardQueue[] }).queues;
  };

  it('lists every queue under the prefix, grouped by service, with its job counts', async () => {
    const failed = await deliveries.add('delivery', { deliveryId: 'x-1' }, { jobId: 'x-1' });
    await eventually(async () => ((await failed.getState()) === 'failed' ? true : undefined));
    const queues = await listed();
    expect(queues.map((queue) => queue.name).sort()).toEqual([
      'intake:retention',
      'notifications:delivery-email',
      'province:deadlines',
    ]);
    const byName = (name: string) => queues.find((queue) => queue.name === name)?.counts;
    expect(byName('province:deadlines')).toMatchObject({ delayed: 1, failed: 0 });
    expect(byName('intake:retention')).toMatchObject({ waiting: 1 });
    expect(byName('notifications:delivery-email')).toMatchObject({ failed: 1, completed: 0 });
    const page = await request(app).get(BASE_PATH).set(asAdmin);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`${BASE_PATH}/`);
  });

  it('retries a failed job, which then completes', async () => {
    const job = await deliveries.add('delivery', { deliveryId: 'x-2' }, { jobId: 'x-2' });
    await eventually(async () => ((await job.getState()) === 'failed' ? true : undefined));
    const retried = await request(app)
      .put(`${BASE_PATH}/api/queues/${encodeURIComponent('notifications:delivery-email')}/x-2/retry`)
      .set(asAdmin);
    expect(retried.status).toBeLessThan(300);
    await eventually(async () => ((await job.getState()) === 'completed' ? true : undefined));
    const counts = (await listed()).find((queue) => queue.name === 'notifications:delivery-email')?.counts;
    expect(counts).toMatchObject({ completed: 1, failed: 1 });
  });

  it('refuses anyone its authorize hook does not allow, pages and API alike', async () => {
    for (const path of [BASE_PATH, `${BASE_PATH}/api/queues`]) {
      expect((await request(app).get(path)).status).toBe(403);
      expect((await request(app).get(path).set({ 'x-test-role': 'coordinator' })).status).toBe(403);
    }
    const retry = await request(app).put(
      `${BASE_PATH}/api/queues/${encodeURIComponent('notifications:delivery-email')}/x-1/retry`,
    );
    expect(retry.status).toBe(403);
    expect(await deliveries.getJobState('x-1')).toBe('failed');
  });
});
