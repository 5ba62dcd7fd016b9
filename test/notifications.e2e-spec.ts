import { readdir, readFile } from 'node:fs/promises';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { caseReference, Streams, topicOf } from '@nrm/contracts';
import { eventually, inboxOf, TestSystem } from '@nrm/testing';
import { produceRaw } from './kafka-tap';
import { Mailbox, mailOf } from './mailbox';
import { EXAMPLE_REFERRAL, identifyingValues, submitReferral, untilNotified } from './referral-journey';

const CONSOLE = 'https://nrm.example.go.th';
const REFERRER = 'case-worker-police-tak';
const COORDINATOR = 'coordinator-tak-1';
const ADMIN = 'admin-1';

/** A partner system's webhook receiver: verifies each signature, and fails as told. */
class Receiver {
  readonly received: { path: string; id: string; body: Record<string, unknown> }[] = [];
  readonly rejectedSignatures: string[] = [];
  readonly secrets = new Map<string, string>();
  readonly failuresLeft = new Map<string, number>();
  readonly requests = new Map<string, number>();
  private readonly server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const route = request.url ?? '';
      const body = Buffer.concat(chunks).toString('utf8');
      this.requests.set(route, (this.requests.get(route) ?? 0) + 1);
      const failures = this.failuresLeft.get(route) ?? 0;
      if (failures > 0) {
        this.failuresLeft.set(route, failures - 1);
        response.writeHead(503).end();
        return;
      }
      try {
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [name, String(value)]),
        );
        const verified = new Webhook(this.secrets.get(route) ?? '').verify(body, headers) as Record<
          string,
          unknown
        >;
        this.received.push({ path: route, id: headers['webhook-id'], body: verified });
        response.writeHead(204).end();
      } catch {
        this.rejectedSignatures.push(route);
        response.writeHead(401).end();
      }
    });
  });

  url(route: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${route}`;
  }

  start(): Promise<void> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

interface DeliveryView {
  id: string;
  channel: string;
  recipient: string;
  status: string;
  attempts: number;
  lastError: string | null;
  notBefore: string;
  notice: { kind: string; caseId: string | null; eventId: string };
  attemptLog?: { attempt: number; outcome: string | null; responseStatus: number | null }[];
}

/** The Bangkok time of day `minutes` from now, HH:MM. */
function bangkokTime(minutesFromNow: number): string {
  return new Date(Date.now() + (7 * 60 + minutesFromNow) * 60_000).toISOString().slice(11, 16);
}

describe('notifications through real channels', () => {
  const mailbox = new Mailbox();
  const receiver = new Receiver();
  let system: TestSystem;
  let caseId: string;
  const endpoints: Record<string, string> = {};

  const deliveries = async (query: string) =>
    (
      await system.request<DeliveryView[]>(
        'notifications',
        'GET',
        `/deliveries?limit=500&${query}`,
        undefined,
        ADMIN,
      )
    ).body;
  const step = async (id: string, event: string) => {
    const response = await system.request('province', 'POST', `/cases/${id}/events`, { event }, COORDINATOR);
    expect(response.status).toBe(200);
  };
  const setPreferences = async (account: string, preferences: object) => {
    const response = await system.request(
      'notifications',
      'PUT',
      `/subscribers/${account}/preferences`,
      preferences,
      ADMIN,
    );
    expect(response.status).toBe(200);
  };
  const registerEndpoint = async (route: string, audience: string, kinds?: string[]) => {
    const response = await system.request<{ id: string; secret: string }>(
      'notifications',
      'POST',
      '/admin/webhook-endpoints',
      { audience, url: receiver.url(route), ...(kinds ? { kinds } : {}) },
      ADMIN,
    );
    expect(response.status).toBe(201);
    receiver.secrets.set(route, response.body.secret);
    endpoints[route] = response.body.id;
  };

  beforeAll(async () => {
    await Promise.all([mailbox.start(), receiver.start()]);
    system = new TestSystem({
      SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`,
      CONSOLE_URL: CONSOLE,
      DELIVERY_RETRY_INITIAL_MS: '200',
      DELIVERY_MAX_ATTEMPTS: '6',
      DELIVERY_LOCK_MS: '2000',
      DELIVERY_RECONCILE_INTERVAL_MS: '2000',
      WEBHOOK_DISABLE_AFTER_FAILURES: '4',
    });
    await system.start(['intake', 'routing', 'province', 'notifications']);
    await setPreferences('coordinator-tak-1', {
      language: 'th',
      channels: ['email', 'sms', 'line'],
      email: mailOf('coordinator-tak-1'),
      phone: '+66800000631',
      lineUserId: 'U00000000000000000000000000de0001',
    });
    // Quiet hours around now: urgent notices still go at once, others wait for the hours to end.
    for (const coordinator of ['coordinator-tak-2', 'coordinator-bkk-1']) {
      await setPreferences(coordinator, {
        language: 'en',
        channels: ['email'],
        email: mailOf(coordinator),
        quietFrom: bangkokTime(-60),
        quietUntil: bangkokTime(60),
      });
    }
    await setPreferences('supervisor-national-2', {
      language: 'en',
      channels: ['email'],
      email: mailOf('supervisor-national-2'),
    });
    receiver.failuresLeft.set('/tak-case-system', 3);
    await registerEndpoint('/tak-case-system', 'province:TH-63:coordinators', ['case.opened']);
    receiver.failuresLeft.set('/hospital', Number.MAX_SAFE_INTEGER);
    await registerEndpoint('/hospital', 'organisation:hospital-th-63:members');
  });

  afterAll(async () => {
    await system?.stop();
    await Promise.all([mailbox.stop(), receiver.stop()]);
  });

  it('tells the province of a new case by e-mail in each reader’s language, by SMS and LINE, and by webhook once', async () => {
    const submitted = await submitReferral(system, EXAMPLE_REFERRAL, {}, REFERRER);
    expect(submitted.status).toBe(201);
    caseId = submitted.body.id;
    await untilNotified(system, caseId, 30_000, REFERRER);
    const reference = caseReference(caseId);
    const link = `${CONSOLE}/cases/${caseId}`;

    const [thai] = await eventually(() => {
      const mails = mailbox.to('coordinator-tak-1');
      return mails.length > 0 ? mails : undefined;
    });
    expect(thai.subject).toBe(`[nrm-flow] กรณีใหม่ ${reference} ในจังหวัดตาก`);
    expect(thai.text).toContain('มีกรณีใหม่ส่งต่อมายังจังหวัดตาก');
    expect(thai.text).toContain(`เปิดดูกรณี: ${link}`);
    expect(thai.html).toContain(`<a href="${link}">เปิดดูกรณี</a>`);
    // An urgent case reaches a coordinator in quiet hours at once.
    const [english] = await eventually(() => {
      const mails = mailbox.to('coordinator-tak-2');
      return mails.length > 0 ? mails : undefined;
    });
    expect(english.subject).toBe(`[nrm-flow] New case ${reference} in Tak`);
    expect(english.text).toContain('A new case has been referred to Tak.');
    expect(english.html).toContain(`<a href="${link}">Open the case</a>`);

    const messages = await eventually(async () => {
      const files = await Promise.all(
        ['sms', 'line'].map((channel) => readdir(path.join(system.messageFolder, channel)).catch(() => [])),
      );
      return files.every((names) => names.length === 1) ? files : undefined;
    });
    const [sms] = messages[0];
    expect(JSON.parse(await readFile(path.join(system.messageFolder, 'sms', sms), 'utf8'))).toEqual({
      to: '+66800000631',
      text: `กรณีใหม่ ${reference} ในจังหวัดตาก ${link}`,
    });

    // The province's case system failed three times, then took the notice: once, signed.
    const webhook = await eventually(async () => {
      const [delivery] = await deliveries(
        `caseId=${caseId}&channel=webhook&recipient=${endpoints['/tak-case-system']}`,
      );
      return delivery?.status === 'delivered' ? delivery : undefined;
    }, 20_000);
    expect(receiver.requests.get('/tak-case-system')).toBe(4);
    expect(receiver.received.filter((message) => message.path === '/tak-case-system')).toEqual([
      {
        path: '/tak-case-system',
        id: webhook.id,
        body: expect.objectContaining({
          kind: 'case.opened',
          case: { id: caseId, reference, link },
          facts: { provinceCode: 'TH-63' },
        }),
      },
    ]);
    const detail = await system.request<DeliveryView>(
      'notifications',
      'GET',
      `/deliveries/${webhook.id}`,
      undefined,
      ADMIN,
    );
    expect(detail.body.attemptLog?.map((attempt) => [attempt.outcome, attempt.responseStatus])).toEqual([
      ['failed', 503],
      ['failed', 503],
      ['failed', 503],
      ['delivered', 204],
    ]);
    expect(receiver.rejectedSignatures).toEqual([]);
  });

  it('holds a non-urgent notice until the end of the reader’s quiet hours', async () => {
    // Bangkok is not a group-A province: a person in low danger there is not urgent.
    const calm = {
      ...EXAMPLE_REFERRAL,
      found: { provinceCode: 'TH-10', district: 'Bang Rak', date: '2026-11-20' },
      needs: { ...(EXAMPLE_REFERRAL.needs as object), dangerLevel: 'low' },
    };
    const submitted = await submitReferral(system, calm, {}, REFERRER);
    await untilNotified(system, submitted.body.id, 30_000, REFERRER);
    const [held] = await eventually(async () => {
      const found = await deliveries(`caseId=${submitted.body.id}&channel=email`);
      return found.length === 1 ? found : undefined;
    });
    expect(held).toMatchObject({ recipient: 'coordinator-bkk-1', status: 'queued', attempts: 0 });
    expect(new Date(held.notBefore).getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(mailbox.to('coordinator-bkk-1')).toEqual([]);
  });

  it('queues again a held delivery whose job Redis lost, and re-adds nothing while no job is missing', async () => {
    const [held] = await deliveries('channel=email&recipient=coordinator-bkk-1&status=queued');
    expect(held).toBeDefined();
    const queue = new Queue('delivery-email', {
      connection: { url: system.redisUrl },
      prefix: `${system.queuePrefix}:notifications`,
    });
    const reconciliations = () =>
      system.logs.filter((line) => line.includes('Delivery jobs reconciled')).length;
    try {
      expect(await queue.getJobState(held.id)).toBe('delayed');
      // Two checks (every 2 s here) while every waiting delivery has its job: none queues anything.
      const before = reconciliations();
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      expect(reconciliations()).toBe(before);

      // Lost without a reconnect (an operator's mistake, or an eviction): no 'ready' event tells anyone.
      await queue.remove(held.id);
      expect(await queue.getJobState(held.id)).toBe('unknown');
      await eventually(
        async () => ((await queue.getJobState(held.id)) === 'delayed' ? true : undefined),
        15_000,
      );
      // The reconciler logs after it re-adds the job, and the line reaches this process through a pipe.
      await eventually(() => {
        expect(reconciliations()).toBeGreaterThan(before);
        return true;
      }, 5_000);
      const [still] = await deliveries(`channel=email&recipient=coordinator-bkk-1&status=queued`);
      expect(still).toMatchObject({ id: held.id, attempts: 0 });
      expect(mailbox.to('coordinator-bkk-1')).toEqual([]);
    } finally {
      await queue.close();
    }
  });

  it('disables a partner endpoint that keeps failing, shows why, and delivers what waited once it is enabled', async () => {
    await step(caseId, 'accept');
    // The referring case worker hears that the province took the case.
    const accepted = await eventually(() => {
      const mails = mailbox.to('case-worker-police-tak');
      return mails.length > 0 ? mails : undefined;
    });
    expect(accepted.map((mail) => mail.subject)).toEqual([
      `[nrm-flow] จังหวัดตากรับกรณี ${caseReference(caseId)} แล้ว`,
    ]);

    const disabled = await eventually(async () => {
      const endpoint = await system.request<{ enabled: boolean; disabledReason: string | null }>(
        'notifications',
        'GET',
        `/admin/webhook-endpoints/${endpoints['/hospital']}`,
        undefined,
        ADMIN,
      );
      return endpoint.body.enabled ? undefined : endpoint.body;
    }, 20_000);
    expect(disabled.disabledReason).toMatch(/^4 attempts in a row failed; the last: .* answered 503$/);
    const [waiting] = await deliveries(`channel=webhook&recipient=${endpoints['/hospital']}`);
    expect(waiting).toMatchObject({
      status: 'suspended',
      attempts: 4,
      lastError: expect.stringMatching(/answered 503$/),
      notice: { kind: 'service-offer.received', caseId },
    });

    receiver.failuresLeft.set('/hospital', 0);
    const enabled = await system.request<{ enabled: boolean; resumedDeliveries: number }>(
      'notifications',
      'POST',
      `/admin/webhook-endpoints/${endpoints['/hospital']}/enable`,
      undefined,
      ADMIN,
    );
    expect(enabled.body).toMatchObject({ enabled: true, resumedDeliveries: 1 });
    await eventually(async () => {
      const [delivery] = await deliveries(`channel=webhook&recipient=${endpoints['/hospital']}`);
      return delivery.status === 'delivered' ? delivery : undefined;
    });
    expect(receiver.received.filter((message) => message.path === '/hospital')).toEqual([
      expect.objectContaining({
        id: waiting.id,
        body: expect.objectContaining({
          kind: 'service-offer.received',
          facts: expect.objectContaining({ service: 'medical-care' }),
        }),
      }),
    ]);
  });

  it('sends nothing twice when the same event arrives again', async () => {
    const [opened] = await system.sql<{ envelope: object }>(
      `SELECT envelope FROM province.outbox WHERE type = 'case.opened' AND envelope->>'caseId' = $1`,
      [caseId],
    );
    const before = mailbox.mails.length;
    const value = JSON.stringify(opened.envelope);
    await produceRaw(system.kafkaBrokers, topicOf(Streams.provincialCase), [
      { key: caseId, value },
      { key: caseId, value },
      { key: caseId, value },
    ]);
    // A step taken after the copies is applied after them (same key, same partition): once it is seen, they were too.
    await step(caseId, 'start_identification');
    await eventually(async () => {
      const contact = await system.sql<{ state: string }>(
        'SELECT state FROM notifications.case_contact WHERE case_id = $1',
        [caseId],
      );
      return contact[0]?.state === 'identification' ? true : undefined;
    });
    expect(mailbox.mails.length).toBe(before);
    const notices = await system.sql('SELECT 1 FROM notifications.notice WHERE case_id = $1 AND kind = $2', [
      caseId,
      'case.opened',
    ]);
    expect(notices).toHaveLength(1);
  });

  it('does not send again a message whose sender was killed after sending it', async () => {
    const notifications = system.service('notifications');
    mailbox.beforeAcknowledging = async (mail) => {
      if (!mail.subject.includes('คัดแยกเป็นผู้เสียหาย')) return;
      mailbox.beforeAcknowledging = () => Promise.resolve();
      await notifications.stop('SIGKILL');
    };
    await step(caseId, 'identify_as_victim');
    await eventually(() => (notifications.pid === undefined ? true : undefined));
    await notifications.start();
    const interrupted = await eventually(async () => {
      const found = await deliveries(`caseId=${caseId}&channel=email&recipient=case-worker-police-tak`);
      const identified = found.find((delivery) => delivery.notice.kind === 'case.identified');
      return identified && identified.status !== 'sending' ? identified : undefined;
    }, 30_000);
    expect(interrupted).toMatchObject({ status: 'unknown', attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(
      mailbox.to('case-worker-police-tak').filter((mail) => mail.subject.includes('คัดแยกเป็นผู้เสียหาย')),
    ).toHaveLength(1);
  });

  it('sends supervisors a daily digest per province on a Bangkok schedule', async () => {
    const schedule = await system.request<{ pattern: string; tz: string; next: number }>(
      'notifications',
      'GET',
      '/admin/digest',
      undefined,
      ADMIN,
    );
    expect(schedule.body).toMatchObject({ pattern: '0 0 8 * * *', tz: 'Asia/Bangkok' });
    const next = new Date(schedule.body.next);
    expect(new Date(next.getTime() + 7 * 3_600_000).toISOString().slice(11, 16)).toBe('08:00');

    const requested = await system.request<{ noticeId: string }>(
      'notifications',
      'POST',
      '/admin/digest',
      undefined,
      ADMIN,
    );
    expect(requested.status).toBe(201);
    const digest = await eventually(() => {
      const mails = mailbox
        .to('supervisor-national-2')
        .filter((mail) => mail.subject.startsWith('[nrm-flow] Daily summary'));
      return mails.find((mail) => mail.text.includes('Tak: 1 new'));
    });
    expect(digest.text).toContain('Bangkok: 1 new, 0 breached, 1 waiting');
    expect(digest.text).toContain('Tak: 1 new, 0 breached, 0 waiting');
  });

  it('reminds the province before its acceptance deadline and tells supervisors once it passes', async () => {
    const policy = (amounts: number[], unit: string) =>
      system.request(
        'province',
        'PUT',
        '/admin/deadline-policies/provincial-acceptance',
        { amounts, urgentAmounts: amounts, unit, description: 'Short, for the test' },
        ADMIN,
      );
    expect((await policy([8], 'seconds')).status).toBe(200);
    const submitted = await submitReferral(system, EXAMPLE_REFERRAL, {}, REFERRER);
    const reference = caseReference(submitted.body.id);
    const subjects = (account: string) =>
      mailbox
        .to(account)
        .map((mail) => mail.subject)
        .filter((subject) => subject.includes(reference));
    await eventually(() => (subjects('supervisor-national-2').length > 0 ? true : undefined), 30_000);
    expect(subjects('coordinator-tak-1')).toEqual([
      `[nrm-flow] กรณีใหม่ ${reference} ในจังหวัดตาก`,
      `[nrm-flow] ใกล้ครบกำหนดการรับเรื่องของจังหวัด: กรณี ${reference}`,
      `[nrm-flow] เลยกำหนดการรับเรื่องของจังหวัด: กรณี ${reference}`,
    ]);
    expect(subjects('supervisor-national-2')).toEqual([
      `[nrm-flow] Deadline missed, provincial acceptance: case ${reference}`,
    ]);
    expect((await policy([24], 'hours')).status).toBe(200);
  });

  it('keeps an inbox per reader with an unread count, and marks notices read', async () => {
    const before = await inboxOf(system, 'coordinator-tak-1');
    expect(before.items.filter((notice) => notice.caseId === caseId)).toEqual([
      expect.objectContaining({
        kind: 'case.opened',
        caseReference: caseReference(caseId),
        title: `กรณีใหม่ ${caseReference(caseId)} ในจังหวัดตาก`,
        read: false,
      }),
    ]);
    expect(before.unread).toBe(before.items.length);
    const marked = await system.request<{ marked: number; unread: number }>(
      'notifications',
      'POST',
      '/inbox/read',
      { noticeIds: [before.items[0].id] },
      COORDINATOR,
    );
    expect(marked.body).toEqual({ marked: 1, unread: before.unread - 1 });
    // Reading is per person: the other coordinator still has it unread.
    const colleague = await inboxOf(system, 'coordinator-tak-2');
    expect(colleague.items.find((notice) => notice.id === before.items[0].id)?.read).toBe(false);
  });

  it('never puts the person’s identifying data in any message', async () => {
    const bodies: string[] = [
      ...mailbox.mails.map((mail) => mail.raw),
      ...receiver.received.map((message) => JSON.stringify(message.body)),
    ];
    for (const channel of ['sms', 'line']) {
      const folder = path.join(system.messageFolder, channel);
      for (const file of await readdir(folder)) bodies.push(await readFile(path.join(folder, file), 'utf8'));
    }
    for (const account of [
      'coordinator-tak-1',
      'case-worker-police-tak',
      'member-hospital-tak',
      'supervisor-national-1',
    ])
      bodies.push(JSON.stringify(await inboxOf(system, account)));
    bodies.push(JSON.stringify(await system.sql('SELECT facts FROM notifications.notice')));
    expect(bodies.length).toBeGreaterThan(10);
    for (const value of identifyingValues()) {
      for (const body of bodies) expect(body).not.toContain(value);
    }
  });
});
