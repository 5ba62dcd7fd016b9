import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { ServiceName } from '@nrm/config';
import { Streams, topicOf } from '@nrm/contracts';
import { eventually, TestSystem } from '@nrm/testing';
import { produceRaw } from './kafka-tap';
import { EXAMPLE_REFERRAL, submitReferral, untilNotified } from './referral-journey';

const METRICS_TOKEN = 'scrape-token-of-the-metrics-test';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus' text format, enough of it for the samples these services expose. */
function parseSamples(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => {
      const [, name, labelText = '', value] = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line) ?? [];
      const labels = Object.fromEntries(
        [...labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, text]) => [key, text]),
      );
      return { name, labels, value: Number(value) };
    });
}

function matching(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return matching(samples, name, labels).reduce((sum, sample) => sum + sample.value, 0);
}

describe('Prometheus metrics of every service', () => {
  const system = new TestSystem({ METRICS_TOKEN, DEADLINE_RECONCILE_INTERVAL_MS: '600000' });
  const services: ServiceName[] = ['intake', 'routing', 'province', 'notifications'];

  const scrapeText = async (service: ServiceName) => {
    const response = await fetch(`${system.url(service)}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };
  const scrape = async (service: ServiceName) => parseSamples(await scrapeText(service));

  beforeAll(() => system.start(services));
  afterAll(() => system.stop());

  it('refuses a scrape without the scrape token, or with a person’s token instead', async () => {
    for (const service of services) {
      const url = `${system.url(service)}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer not-the-token' } })).status).toBe(401);
      expect((await fetch(url, { headers: await system.as('admin') })).status).toBe(401);
    }
  });

  it('counts requests, events, dead letters and deliveries, a breached deadline, and reports lag and backlog falling to zero', async () => {
    const policy = await system.request(
      'province',
      'PUT',
      '/admin/deadline-policies/provincial-acceptance',
      { amounts: [2], urgentAmounts: [2], unit: 'seconds', description: 'Short, for the test' },
      'admin',
    );
    expect(policy.status).toBe(200);
    const submitted = await submitReferral(system, EXAMPLE_REFERRAL);
    expect(submitted.status).toBe(201);
    await untilNotified(system, submitted.body.id);
    const caseId = submitted.body.id;

    const intakeText = await scrapeText('intake');
    expect(intakeText).not.toContain(caseId);
    for (const value of Object.values(EXAMPLE_REFERRAL.identity)) expect(intakeText).not.toContain(value);
    const intake = parseSamples(intakeText);
    expect(
      total(intake, 'nrm_http_requests_total', { method: 'POST', route: '/referrals', status: '201' }),
    ).toBe(1);
    expect(
      total(intake, 'nrm_http_requests_total', { method: 'GET', route: '/referrals/:id', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      total(intake, 'nrm_http_request_duration_seconds_count', { method: 'POST', route: '/referrals' }),
    ).toBe(1);
    expect(matching(intake, 'process_cpu_user_seconds_total', { service: 'intake' })).toHaveLength(1);

    const routing = await scrape('routing');
    expect(
      total(routing, 'nrm_events_consumed_total', { type: 'referral.submitted', outcome: 'applied' }),
    ).toBe(1);
    expect(total(routing, 'nrm_events_dead_lettered_total')).toBe(0);

    const breached = await eventually(async () => {
      const province = await scrape('province');
      return total(province, 'nrm_deadline_breaches_total', { kind: 'provincial-acceptance' }) >= 1
        ? province
        : undefined;
    }, 30_000);
    expect(
      matching(breached, 'nrm_queue_jobs', { queue: 'deadlines' })
        .map((s) => s.labels.state)
        .sort(),
    ).toEqual(['active', 'completed', 'delayed', 'failed', 'waiting']);

    const notifications = await eventually(async () => {
      const samples = await scrape('notifications');
      return total(samples, 'nrm_notification_deliveries_total', { outcome: 'sent' }) > 0
        ? samples
        : undefined;
    });
    expect(matching(notifications, 'nrm_queue_jobs', { state: 'waiting' }).length).toBeGreaterThan(0);

    const unknownType = 'referral.teleported';
    await produceRaw(system.kafkaBrokers, topicOf(Streams.referral), [
      { key: caseId, value: 'this is not JSON {' },
      {
        key: caseId,
        value: JSON.stringify({ eventId: randomUUID(), type: unknownType, version: 1, caseId, payload: {} }),
      },
    ]);
    const deadLettered = await eventually(async () => {
      const samples = await scrape('routing');
      return total(samples, 'nrm_events_dead_lettered_total') === 2 ? samples : undefined;
    });
    expect(total(deadLettered, 'nrm_events_dead_lettered_total', { type: 'unknown' })).toBe(2);
    expect(deadLettered.some((sample) => Object.values(sample.labels).includes(unknownType))).toBe(false);

    for (const service of services) {
      const settled = await eventually(async () => {
        const samples = await scrape(service);
        const lags = matching(samples, 'nrm_kafka_consumer_lag_messages');
        return lags.length > 0 &&
          lags.every((lag) => lag.value === 0) &&
          total(samples, 'nrm_outbox_unpublished_events') === 0
          ? samples
          : undefined;
      }, 30_000);
      const lags = matching(settled, 'nrm_kafka_consumer_lag_messages');
      expect(lags.every((lag) => lag.labels.group === `${system.queuePrefix}-${service}`)).toBe(true);
      expect(total(settled, 'nrm_outbox_oldest_unpublished_age_seconds')).toBe(0);
    }
  });

  it('serves the committed AsyncAPI document of every event beside the OpenAPI one, public like it', async () => {
    const committed = JSON.parse(
      readFileSync(path.join(__dirname, '..', 'docs', 'asyncapi.json'), 'utf8'),
    ) as object;
    for (const service of services) {
      const response = await fetch(`${system.url(service)}/docs/asyncapi.json`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual(committed);
      expect((await fetch(`${system.url(service)}/docs-json`)).status).toBe(200);
    }
  });
});
