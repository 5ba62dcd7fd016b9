import { randomUUID } from 'node:crypto';
import { CATCH_UP_SERVICES } from '@nrm/config';
import { allTopics, deadLetterTopicOf, Streams, topicOf } from '@nrm/contracts';
import { eventMessage, eventually, inboxOf, referralSubmittedPayload, TestSystem } from '@nrm/testing';
import { committedLag, produceRaw, readAllMessages } from './kafka-tap';
import {
  EXAMPLE_REFERRAL,
  getReferral,
  identifyingValues,
  submitReferral,
  untilNotified,
} from './referral-journey';

const FLOW = ['referral.submitted', 'referral.routed', 'case.opened', 'notification.recorded'];

describe('a referral across the services, the four behind intake in one process as `npm run up` runs them', () => {
  // At debug level, as an operator tracing one referral would set it: consumers log each event they apply.
  const system = new TestSystem({ LOG_LEVEL: 'debug' }, { catchUpTogether: true });

  beforeAll(() => system.start(['intake', ...CATCH_UP_SERVICES]));
  afterAll(() => system.stop());

  it('is opened in its province with the coordinators notified, and its history lists the four events in order', async () => {
    const submitted = await submitReferral(system);
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('submitted');

    const referral = await untilNotified(system, submitted.body.id, 10_000);
    expect(referral.responsibleProvince).toBe('TH-63');
    expect(referral.history.map((entry) => entry.type)).toEqual(FLOW);
    const times = referral.history.map((entry) => Date.parse(entry.occurredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const cases = (
      await system.request('province', 'GET', '/cases?province=TH-63', undefined, 'coordinator-tak-1')
    ).body;
    expect(cases).toEqual({
      items: [
        expect.objectContaining({ id: referral.id, provinceCode: 'TH-63', state: 'awaiting_acceptance' }),
      ],
      nextCursor: null,
    });
    const inbox = await inboxOf(system, 'coordinator-tak-1');
    expect(inbox.items.filter((notice) => notice.caseId === referral.id)).toEqual([
      expect.objectContaining({ kind: 'case.opened', read: false }),
    ]);
    const deadlines = await system.sql('SELECT kind, status FROM intake.deadline WHERE case_id = $1', [
      referral.id,
    ]);
    expect(deadlines).toEqual([{ kind: 'referral.opening', status: 'met' }]);

    // A notice to others than the province changes nothing for the referrer: intake passes it by,
    // without a transaction or an inbox row, once it has applied the province's.
    const toSupervisors = eventMessage('notification.recorded', referral.id, {
      notificationId: randomUUID(),
      caseId: referral.id,
      channel: 'in-app',
      recipient: 'supervisors',
      kind: 'deadline.breached',
    });
    await produceRaw(system.kafkaBrokers, topicOf(Streams.notification), [toSupervisors]);
    await eventually(async () => {
      const lag = await committedLag(system.kafkaBrokers, `${system.queuePrefix}-intake`, [
        topicOf(Streams.notification),
      ]);
      return lag === 0 ? true : undefined;
    });
    const applied = await system.sql<{ kind: string }>(
      `SELECT o.envelope->'payload'->>'kind' AS kind FROM intake.inbox i
         JOIN notifications.outbox o ON i.event_id = (o.envelope->>'eventId')::uuid
        WHERE i.consumer = 'intake.referral-progress' AND o.key = $1`,
      [referral.id],
    );
    expect(applied).toEqual([{ kind: 'case.opened' }]);
    const passedBy = (JSON.parse(toSupervisors.value) as { eventId: string }).eventId;
    expect(await system.sql('SELECT 1 FROM intake.inbox WHERE event_id = $1', [passedBy])).toEqual([]);
    expect((await getReferral(system, referral.id)).history).toEqual(referral.history);
  });

  it('carries one correlation id from the HTTP request through every event of the journey', async () => {
    const correlationId = randomUUID();
    const submitted = await submitReferral(system, EXAMPLE_REFERRAL, { 'x-correlation-id': correlationId });
    await untilNotified(system, submitted.body.id);
    const events = await system.sql<{ type: string; correlation: string }>(
      `SELECT type, envelope->>'correlationId' AS correlation FROM (
         SELECT type, envelope FROM intake.outbox UNION ALL SELECT type, envelope FROM routing.outbox
         UNION ALL SELECT type, envelope FROM province.outbox UNION ALL SELECT type, envelope FROM notifications.outbox
       ) AS everything WHERE envelope->>'caseId' = $1`,
      [submitted.body.id],
    );
    // The journey's events, and the acceptance deadline the province set when it opened the case.
    expect(events.map((event) => event.type).sort()).toEqual([...FLOW, 'case.deadline-updated'].sort());
    expect(new Set(events.map((event) => event.correlation))).toEqual(new Set([correlationId]));
    const servicesLogging = system.logs
      .filter((line) => line.includes(correlationId))
      .map((line) => (JSON.parse(line) as { service: string }).service);
    expect(new Set(servicesLogging)).toEqual(new Set(['intake', ...CATCH_UP_SERVICES]));
  });

  it('returns the same referral for the same Idempotency-Key', async () => {
    const key = randomUUID();
    const first = await submitReferral(system, EXAMPLE_REFERRAL, { 'idempotency-key': key });
    const second = await submitReferral(system, EXAMPLE_REFERRAL, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    const rows = await system.sql('SELECT id FROM intake.referral WHERE idempotency_key = $1', [key]);
    expect(rows).toHaveLength(1);
  });

  it('keeps referrals submitted at the same moment apart: each its own correlation id, one referral per key', async () => {
    const key = randomUUID();
    const correlationIds = Array.from({ length: 8 }, () => randomUUID());
    const answers = await Promise.all(
      correlationIds.map((correlationId, index) =>
        submitReferral(system, EXAMPLE_REFERRAL, {
          'x-correlation-id': correlationId,
          ...(index < 4 ? { 'idempotency-key': key } : {}),
        }),
      ),
    );
    const keyed = answers.slice(0, 4);
    expect(keyed.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 201]);
    expect(new Set(keyed.map((answer) => answer.body.id)).size).toBe(1);
    const ids = [keyed[0].body.id, ...answers.slice(4).map((answer) => answer.body.id)];
    expect(new Set(ids).size).toBe(5);
    const events = await system.sql<{ caseId: string; correlation: string }>(
      `SELECT envelope->>'caseId' AS "caseId", envelope->>'correlationId' AS correlation
         FROM intake.outbox WHERE type = 'referral.submitted' AND envelope->>'caseId' = ANY($1)`,
      [ids],
    );
    expect(events).toHaveLength(5);
    const keyedCorrelation = events.find((event) => event.caseId === keyed[0].body.id)?.correlation;
    expect(correlationIds.slice(0, 4)).toContain(keyedCorrelation);
    for (const [index, answer] of answers.slice(4).entries())
      expect(events.find((event) => event.caseId === answer.body.id)?.correlation).toBe(
        correlationIds[4 + index],
      );
  });

  it('dead-letters malformed and invalid events with their reasons and keeps processing the next ones', async () => {
    const topic = topicOf(Streams.referral);
    const caseId = randomUUID();
    const validEnvelope = {
      eventId: randomUUID(),
      type: 'referral.submitted',
      version: 1,
      caseId,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      actor: { id: 'poison', role: 'system' },
      payload: { referralId: caseId, foundInProvince: 'TH-99' },
    };
    await produceRaw(system.kafkaBrokers, topic, [
      { key: caseId, value: 'this is not JSON {' },
      { key: caseId, value: JSON.stringify(validEnvelope) },
      {
        key: caseId,
        value: JSON.stringify({ ...validEnvelope, eventId: randomUUID(), type: 'referral.teleported' }),
      },
      {
        key: caseId,
        value: JSON.stringify({ ...validEnvelope, eventId: randomUUID(), payload: [validEnvelope.payload] }),
      },
      // class-transformer throws on an object with a `constructor` key where it copies data as it is.
      {
        key: caseId,
        value: JSON.stringify({
          ...validEnvelope,
          eventId: randomUUID(),
          payload: referralSubmittedPayload(caseId, { exploitationTypes: { constructor: 'forced-labour' } }),
        }),
      },
    ]);
    const after = await submitReferral(system);
    await untilNotified(system, after.body.id);

    const letters = await eventually(async () => {
      const response = await fetch(`${system.url('routing')}/admin/dead-letters?status=pending`, {
        headers: await system.as('admin'),
      });
      const body = (await response.json()) as { reason: string; details: unknown; key: string }[];
      return body.length >= 5 ? body : undefined;
    });
    expect(letters.map((letter) => letter.reason).sort()).toEqual([
      'invalid envelope',
      'invalid payload',
      'invalid payload',
      'malformed: the message is not a JSON object',
      'unknown event type referral.teleported@1',
    ]);
    const invalid = letters
      .filter((letter) => letter.reason === 'invalid payload')
      .map(({ details }) => details);
    expect(invalid).toContainEqual(
      expect.arrayContaining([
        { field: 'foundInProvince', constraints: ['isIn'] },
        { field: 'foundOn', constraints: ['isIso8601'] },
      ]),
    );
    expect(invalid).toContainEqual([{ field: 'exploitationTypes', constraints: ['isConvertible'] }]);
    expect(letters.find((letter) => letter.reason === 'invalid envelope')?.details).toEqual([
      { field: 'payload', constraints: ['isObject'] },
    ]);
    const decisions = await system.sql('SELECT 1 FROM routing.routing_decision WHERE referral_id = $1', [
      caseId,
    ]);
    expect(decisions).toHaveLength(0);

    await eventually(async () => {
      const response = await fetch(`${system.url('province')}/admin/dead-letters?status=pending`, {
        headers: await system.as('admin'),
      });
      return ((await response.json()) as unknown[]).length >= 5 ? true : undefined;
    });
    const deadLettered = await eventually(async () => {
      const messages = await readAllMessages(system.kafkaBrokers, [deadLetterTopicOf(topic)]);
      return messages.length >= 10 ? messages : undefined;
    });
    // Routing and province both consume the referral stream; each records what it could not apply.
    for (const consumer of ['routing.decide', 'province.case-facts']) {
      expect(
        deadLettered
          .filter((message) => message.headers['x-dead-letter-consumer'] === consumer)
          .map((message) => message.headers['x-dead-letter-reason'])
          .sort(),
      ).toEqual(letters.map((letter) => letter.reason).sort());
    }
  });

  it('replays a dead letter once its cause is fixed, and the event is then applied once', async () => {
    const caseId = randomUUID();
    const routed = {
      eventId: randomUUID(),
      type: 'referral.routed',
      version: 1,
      caseId,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      actor: { id: 'system', role: 'system' },
      payload: {
        referralId: caseId,
        responsibleProvince: 'TH-27',
        ruleVersion: 1,
        matchedRules: ['restored'],
        decisionId: randomUUID(),
        riskGroup: 'A',
        urgency: 'standard',
        offers: [],
      },
    };
    // Intake does not hold this referral (yet): its handler fails on every attempt.
    await produceRaw(system.kafkaBrokers, topicOf(Streams.routing), [
      { key: caseId, value: JSON.stringify(routed) },
    ]);
    const intake = system.url('intake');
    const letter = await eventually(async () => {
      const letters = (await fetch(`${intake}/admin/dead-letters`, {
        headers: await system.as('admin'),
      }).then((r) => r.json())) as {
        id: string;
        eventId: string;
        reason: string;
        attempts: number;
      }[];
      return letters.find((candidate) => candidate.eventId === routed.eventId);
    });
    expect(letter.reason).toMatch(
      /^handler failed after 5 attempts: Error: Event referral.routed names a referral/,
    );
    expect(letter.attempts).toBe(5);

    // The fix: the referral is restored into intake's table.
    await system.sql(
      `INSERT INTO intake.referral (id, status, referrer_organisation, came_to_notice_via, province_code, found_on,
         age_band, is_child, gender, nationality, exploitation_types, identity_ciphertext, updated_at, submitted_by)
       VALUES ($1, 'submitted', 'restored', 'other', 'TH-27', '2026-11-01', '25-34', false, 'female', 'KHM', '{}', 'v1.x.x.x', now(), $2)`,
      [caseId, 'case-worker-police-tak'],
    );
    const admin = await system.as('admin');
    const replay = await fetch(`${intake}/admin/dead-letters/${letter.id}/replay`, {
      method: 'POST',
      headers: admin,
    });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ id: letter.id, status: 'replayed' });
    const again = await fetch(`${intake}/admin/dead-letters/${letter.id}/replay`, {
      method: 'POST',
      headers: admin,
    });
    expect(again.status).toBe(409);

    // Province and notifications also reacted to the event; only routing's part is asserted here.
    const referral = await eventually(async () => {
      const current = await getReferral(system, caseId);
      return current.responsibleProvince === 'TH-27' ? current : undefined;
    });
    expect(referral.history.filter((entry) => entry.type === 'referral.routed')).toHaveLength(1);
  });

  it('drives a referral through its whole lifecycle to closure, and the referrer sees each step', async () => {
    const submitted = await submitReferral(system);
    await untilNotified(system, submitted.body.id);
    const province = system.url('province');
    const coordinator = { 'content-type': 'application/json', ...(await system.as('coordinator-tak-1')) };
    const steps = [
      { event: 'accept' },
      { event: 'start_temporary_protection' },
      { event: 'start_identification' },
      { event: 'identify_as_victim' },
      { event: 'start_protection' },
      { event: 'start_legal_proceedings' },
      { event: 'start_reintegration' },
      { event: 'start_follow_up' },
      { event: 'conclude_legal_proceedings' },
      { event: 'request_closure', reason: 'Returned home; follow-up visits completed' },
      { event: 'approve_closure' },
    ];
    for (const step of steps) {
      const response = await fetch(`${province}/cases/${submitted.body.id}/events`, {
        method: 'POST',
        headers: coordinator,
        body: JSON.stringify(step),
      });
      expect({ step: step.event, status: response.status }).toEqual({ step: step.event, status: 200 });
    }
    const offered = await fetch(`${province}/cases/${submitted.body.id}/service-referrals`, {
      method: 'POST',
      headers: coordinator,
      body: JSON.stringify({ service: 'shelter', organisationId: 'ngo-tak-shelter' }),
    });
    expect(offered.status).toBe(409);

    const referral = await eventually(async () => {
      const current = await getReferral(system, submitted.body.id);
      return current.status === 'closed' ? current : undefined;
    });
    expect(referral.history.map((entry) => entry.detail ?? entry.type)).toEqual([
      ...FLOW,
      ...steps.map(
        (step) =>
          `${step.event}: ${
            {
              accept: 'accepted',
              start_temporary_protection: 'temporary_protection',
              start_identification: 'identification',
              identify_as_victim: 'identified_victim',
              start_protection: 'protection',
              start_legal_proceedings: 'active',
              start_reintegration: 'reintegration',
              start_follow_up: 'follow_up',
              conclude_legal_proceedings: 'concluded',
              request_closure: 'closure_requested',
              approve_closure: 'closed',
            }[step.event]
          }`,
      ),
    ]);
  });

  it('lets the referrer withdraw a referral the province holds, and the case is withdrawn', async () => {
    const submitted = await submitReferral(system);
    await untilNotified(system, submitted.body.id);
    const intake = system.url('intake');
    const referrer = { 'content-type': 'application/json', ...(await system.as('case-worker')) };
    const stranger = await fetch(`${intake}/referrals/${submitted.body.id}/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await system.as('case-worker-hotline-1300')) },
      body: JSON.stringify({ reason: 'Not mine to withdraw' }),
    });
    expect(stranger.status).toBe(404);
    const withdrawal = await fetch(`${intake}/referrals/${submitted.body.id}/withdraw`, {
      method: 'POST',
      headers: referrer,
      body: JSON.stringify({ reason: 'The person decided to go home with her family' }),
    });
    expect(withdrawal.status).toBe(200);
    const referral = await eventually(async () => {
      const current = await getReferral(system, submitted.body.id);
      return current.status === 'withdrawn' ? current : undefined;
    });
    expect(referral.history.map((entry) => entry.detail ?? entry.type)).toEqual([
      ...FLOW,
      'referral.withdrawn',
      'withdraw: withdrawn',
    ]);
    const again = await fetch(`${intake}/referrals/${submitted.body.id}/withdraw`, {
      method: 'POST',
      headers: referrer,
      body: JSON.stringify({ reason: 'again' }),
    });
    expect(again.status).toBe(409);
    const [row] = await system.sql<{ withdrawal_ciphertext: string }>(
      'SELECT withdrawal_ciphertext FROM intake.referral WHERE id = $1',
      [submitted.body.id],
    );
    expect(row?.withdrawal_ciphertext).not.toContain('family');
  });

  it('never lets identifying data of the person into any Kafka message or any log line', async () => {
    const submitted = await submitReferral(system);
    await untilNotified(system, submitted.body.id);
    const messages = await readAllMessages(
      system.kafkaBrokers,
      allTopics().map((topic) => topic.name),
    );
    expect(messages.length).toBeGreaterThan(8);
    const secrets = identifyingValues();
    for (const message of messages) {
      for (const secret of secrets) expect(message.value).not.toContain(secret);
    }
    for (const line of system.logs) {
      for (const secret of secrets) expect(line).not.toContain(secret);
    }
    const [row] = await system.sql<{ identity_ciphertext: string }>(
      'SELECT identity_ciphertext FROM intake.referral WHERE id = $1',
      [submitted.body.id],
    );
    for (const secret of secrets) expect(row?.identity_ciphertext).not.toContain(secret);
    const view = JSON.stringify(await getReferral(system, submitted.body.id));
    for (const secret of secrets) expect(view).not.toContain(secret);
  });

  it('closes every service of the catch-up process on SIGTERM before the process exits', async () => {
    expect(await system.service('routing').stop('SIGTERM')).toBe(0);
    const closed = system.logs.filter((line) => line.includes('closed on SIGTERM'));
    expect(closed.map((line) => (JSON.parse(line) as { service: string }).service).sort()).toEqual(
      [...CATCH_UP_SERVICES].sort(),
    );
  });
});
