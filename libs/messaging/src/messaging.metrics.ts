import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { Admin } from 'kafkajs';
import { ALL_CONTRACTS } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { Metrics } from '@nrm/observability';
import { qualifiedTable, SqlExecutor } from '@nrm/persistence';
import { consumerGroupLag } from './consumer-lag';
import { createKafka } from './kafka-client';
import { TRANSACTION_RUNNER } from './tokens';

const KNOWN_TYPES = new Set(ALL_CONTRACTS.map((contract) => contract.type));

/** A label value for an event type: a message's own text is not trusted into a label. */
function typeLabel(type: string | null | undefined): string {
  return type && KNOWN_TYPES.has(type) ? type : 'unknown';
}

/**
 * What the messaging library tells Prometheus: events applied and
 * dead-lettered by type, the outbox backlog, and the consumer group's lag.
 * Backlog and lag are measured when Prometheus scrapes, from PostgreSQL and
 * from the broker's committed offsets, so they are true even while the
 * consumer is stuck.
 */
@Injectable()
export class MessagingMetrics implements OnApplicationShutdown {
  private readonly consumed;
  private readonly deadLettered;
  private readonly outbox: string;
  private admin: Promise<Admin> | null = null;
  private consumedTopics: string[] | null = null;

  constructor(
    private readonly settings: PlatformSettings,
    @Inject(TRANSACTION_RUNNER) private readonly db: SqlExecutor,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    metrics: Metrics,
  ) {
    this.outbox = qualifiedTable(settings.databaseSchema, 'outbox');
    this.consumed = metrics.counter({
      name: 'nrm_events_consumed_total',
      help: 'Events this service received, by topic, type and whether they were applied or already had been',
      labelNames: ['topic', 'type', 'outcome'] as const,
    });
    this.deadLettered = metrics.counter({
      name: 'nrm_events_dead_lettered_total',
      help: 'Messages this service gave up on and recorded as dead letters, by topic and event type',
      labelNames: ['topic', 'type'] as const,
    });
    metrics.gaugeOnScrape(
      {
        name: 'nrm_outbox_unpublished_events',
        help: 'Events committed to the outbox and not yet acknowledged by the broker',
      },
      async (gauge) => gauge.set((await this.outboxBacklog()).count),
    );
    metrics.gaugeOnScrape(
      {
        name: 'nrm_outbox_oldest_unpublished_age_seconds',
        help: 'How long the oldest unpublished outbox event has waited (0 when none waits)',
      },
      async (gauge) => gauge.set((await this.outboxBacklog()).ageSeconds),
    );
    metrics.gaugeOnScrape(
      {
        name: 'nrm_kafka_consumer_lag_messages',
        help: "Messages on a partition after the consumer group's committed offset",
        labelNames: ['group', 'topic', 'partition'] as const,
      },
      async (gauge) => {
        for (const lag of await this.consumerLag()) gauge.set(lag.labels, lag.messages);
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    await admin?.then((client) => client.disconnect()).catch(() => undefined);
  }

  eventConsumed(topic: string, type: string, applied: boolean): void {
    this.consumed.inc({ topic, type: typeLabel(type), outcome: applied ? 'applied' : 'duplicate' });
  }

  eventDeadLettered(topic: string, type: string | null): void {
    this.deadLettered.inc({ topic, type: typeLabel(type) });
  }

  private async outboxBacklog(): Promise<{ count: number; ageSeconds: number }> {
    const [row] = await this.db.$queryRawUnsafe<{ count: number; ageSeconds: number }[]>(
      `SELECT count(*)::float8 AS count,
              COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS "ageSeconds"
         FROM ${this.outbox} WHERE published_at IS NULL`,
    );
    return row;
  }

  /** Lag per partition of every topic the service's event handlers consume. */
  private async consumerLag(): Promise<
    { labels: { group: string; topic: string; partition: string }; messages: number }[]
  > {
    const topics = this.topicsConsumed();
    if (topics.length === 0) return [];
    const group = this.settings.kafkaGroupId;
    const lags = await consumerGroupLag(await this.connectedAdmin(), group, topics);
    return lags.map(({ topic, partition, messages }) => ({
      labels: { group, topic, partition: String(partition) },
      messages,
    }));
  }

  /** The topics of the service's `@EventPattern` handlers: what its consumer group subscribes to. */
  private topicsConsumed(): string[] {
    this.consumedTopics ??= [
      ...new Set(
        this.discovery.getControllers().flatMap(({ instance }) => {
          if (!instance) return [];
          const prototype = Object.getPrototypeOf(instance) as object;
          return this.scanner.getAllMethodNames(prototype).flatMap((method) => {
            const handler = (prototype as Record<string, unknown>)[method] as object;
            return (Reflect.getMetadata(PATTERN_METADATA, handler) as unknown[] | undefined) ?? [];
          });
        }),
      ),
    ].filter((pattern): pattern is string => typeof pattern === 'string');
    return this.consumedTopics;
  }

  private connectedAdmin(): Promise<Admin> {
    this.admin ??= (async () => {
      const admin = createKafka(this.settings, 'metrics').admin();
      await admin.connect();
      return admin;
    })().catch((error: unknown) => {
      this.admin = null;
      throw error;
    });
    return this.admin;
  }
}
