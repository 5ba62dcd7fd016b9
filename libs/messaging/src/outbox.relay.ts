import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { setTimeout as delay } from 'node:timers/promises';
import { Producer } from 'kafkajs';
import { Client } from 'pg';
import { PlatformSettings } from '@nrm/config';
import { qualifiedTable } from '@nrm/persistence';
import { createKafka, PRODUCER_DEFAULTS } from './kafka-client';
import { outboxChannel } from './outbox.writer';

interface PendingRow {
  id: string;
  topic: string;
  key: string;
  headers: Record<string, string>;
  envelope: unknown;
}

const RETRY_DELAY_MS = 1_000;

/**
 * Publishes committed outbox rows to Kafka and marks them only after the
 * broker acknowledged them (acks = all). One relay per service is active at a
 * time (a PostgreSQL advisory lock), so a case's events leave in the order they
 * were written. A crash between send and mark re-sends; consumers' inboxes make
 * that harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly table: string;
  private readonly channel: string;
  private readonly lockKey: string;
  private client: Client | null = null;
  private producer: Producer | null = null;
  private leader = false;
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private lastError: string | null = null;
  private published = 0;
  /** When the last send left (`performance.now()`); long ago at start. */
  private lastSendAt = -Infinity;

  constructor(private readonly settings: PlatformSettings) {
    this.table = qualifiedTable(settings.databaseSchema, 'outbox');
    this.channel = outboxChannel(settings.databaseSchema);
    this.lockKey = `nrm-outbox-relay:${settings.databaseSchema}`;
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.resetDatabase();
    await this.producer?.disconnect().catch(() => undefined);
  }

  /** For health checks: is the relay able to publish? */
  status(): { leader: boolean; lastError: string | null; published: number } {
    return { leader: this.leader, lastError: this.lastError, published: this.published };
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const client = await this.connectDatabase();
        if (!this.leader) {
          this.leader = await this.tryBecomeLeader(client);
          if (!this.leader) {
            await this.sleep(this.settings.outboxPollIntervalMs * 4);
            continue;
          }
          this.logger.log({ message: 'Outbox relay is the active publisher' });
        }
        const published = await this.publishBatch(client);
        this.lastError = null;
        if (published > 0) this.lastSendAt = performance.now();
        if (published < this.settings.outboxBatchSize) {
          await this.sleep(this.settings.outboxPollIntervalMs);
          await this.pace();
        }
      } catch (error) {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.logger.warn({ message: 'Outbox relay will retry', error: this.lastError });
        await this.resetDatabase();
        await this.sleep(RETRY_DELAY_MS);
      }
    }
  }

  /**
   * Sends that are not full leave at most once per `OUTBOX_LINGER_MS`: the
   * first commit after a quiet spell leaves at once, and under load the
   * commits of each interval leave together. Sent one by one, small commits
   * made every consumer downstream fetch and apply small groups: at 100
   * submissions a second, half as much CPU again for each referral.
   */
  private async pace(): Promise<void> {
    const sinceLastSend = performance.now() - this.lastSendAt;
    if (sinceLastSend < this.settings.outboxLingerMs)
      await delay(this.settings.outboxLingerMs - sinceLastSend);
  }

  private async publishBatch(client: Client): Promise<number> {
    const { rows } = await client.query<PendingRow>(
      `SELECT id, topic, key, headers, envelope FROM ${this.table}
        WHERE published_at IS NULL ORDER BY sequence LIMIT $1`,
      [this.settings.outboxBatchSize],
    );
    if (rows.length === 0) return 0;
    const producer = await this.connectProducer();
    const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
    for (const row of rows) {
      const messages = byTopic.get(row.topic) ?? [];
      messages.push({ key: row.key, value: JSON.stringify(row.envelope), headers: row.headers });
      byTopic.set(row.topic, messages);
    }
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    await client.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::uuid[])`, [
      rows.map((row) => row.id),
    ]);
    this.published += rows.length;
    return rows.length;
  }

  private async connectDatabase(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.settings.databaseUrl,
      connectionTimeoutMillis: 5_000,
    });
    client.on('error', (error) => {
      this.lastError = error.message;
      void this.resetDatabase();
    });
    client.on('notification', () => this.wake?.());
    await client.connect();
    await client.query(`LISTEN "${this.channel}"`);
    this.client = client;
    return client;
  }

  private async tryBecomeLeader(client: Client): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [this.lockKey],
    );
    return rows[0]?.locked === true;
  }

  /** Dropping the connection also releases the advisory lock, so another instance can take over. */
  private async resetDatabase(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.leader = false;
    if (client) await client.end().catch(() => undefined);
  }

  private async connectProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = createKafka(this.settings, 'relay').producer({
      ...PRODUCER_DEFAULTS,
      idempotent: false,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
