import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { EventEnvelope } from '@nrm/contracts';
import { SqlExecutor, TransactionRunner } from '@nrm/persistence';
import { ConfigService } from '@nestjs/config';
import { PlatformSettings } from '@nrm/config';
import { ReferralRouted } from '@nrm/contracts';
import { OutboxWriter } from './outbox.writer';
import { SharedTransactions, PendingEvent } from './shared-transactions';

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const database = `nrm_test_shared_transactions_${process.pid}`;

/** Interactive transactions over `pg`, the shape the services' Prisma clients have. */
function transactionsOver(pool: Pool): TransactionRunner<SqlExecutor> {
  return {
    async $transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      const tx: SqlExecutor = {
        $executeRawUnsafe: async (query, ...values) => (await client.query(query, values)).rowCount ?? 0,
        $queryRawUnsafe: async <R>(query: string, ...values: unknown[]) =>
          (await client.query(query, values)).rows as R,
      };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
  };
}

function envelope(eventId = randomUUID()): EventEnvelope {
  return {
    eventId,
    type: 'referral.submitted',
    version: 1,
    caseId: randomUUID(),
    occurredAt: new Date().toISOString(),
    correlationId: randomUUID(),
    actor: { id: 'test', role: 'system' },
    payload: {},
  };
}

/** Each application writes the event and the transaction it ran in. */
const recordEffect = async (tx: SqlExecutor, event: EventEnvelope) => {
  await tx.$executeRawUnsafe(
    'INSERT INTO effect (event_id, transaction_id) VALUES ($1::uuid, txid_current())',
    event.eventId,
  );
};

/** An event applied by a handler of its own, as `on` registers one. */
function pending(
  event: EventEnvelope,
  handle: (tx: SqlExecutor, event: EventEnvelope) => Promise<void> = recordEffect,
): PendingEvent<SqlExecutor> {
  return {
    consumer: 'test.consumer',
    topic: 'test.topic',
    envelope: event,
    apply: async (tx, events) => {
      for (const each of events) await handle(tx, each);
    },
  };
}

describe('SharedTransactions', () => {
  let admin: Pool;
  let pool: Pool;
  let shared: SharedTransactions<SqlExecutor>;

  beforeAll(async () => {
    admin = new Pool({ connectionString: serverUrl, max: 1 });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${database}`);
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    pool = new Pool({ connectionString: url.toString(), max: 4 });
    // `end` resolves before the connections have closed; dropping the database then ends them with an error.
    pool.on('error', () => undefined);
    await pool.query(`
      CREATE TABLE inbox (consumer text, event_id uuid, topic text, PRIMARY KEY (consumer, event_id));
      CREATE TABLE effect (event_id uuid, transaction_id bigint);
      CREATE SCHEMA intake;
      CREATE TABLE intake.outbox (id uuid PRIMARY KEY, sequence bigserial, topic text, key text, type text,
        headers jsonb, envelope jsonb)`);
    shared = new SharedTransactions(transactionsOver(pool), 'inbox', { groupSize: 50, concurrent: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  });

  const effectsOf = async (events: EventEnvelope[]) =>
    (
      await pool.query<{ event_id: string; transaction_id: string }>(
        'SELECT event_id, transaction_id FROM effect WHERE event_id = ANY($1::uuid[])',
        [events.map((event) => event.eventId)],
      )
    ).rows;

  it('applies events handed over together in shared transactions of at most the group size, each once', async () => {
    const events = Array.from({ length: 120 }, () => envelope());
    const outcomes = await Promise.all(events.map((event) => shared.apply(pending(event))));
    expect(outcomes).toEqual(events.map(() => true));
    const effects = await effectsOf(events);
    expect(effects).toHaveLength(120);
    expect(new Set(effects.map((effect) => effect.event_id)).size).toBe(120);
    expect(new Set(effects.map((effect) => effect.transaction_id)).size).toBe(3);
  });

  it('applies an event once when it is already in the inbox or comes twice in one group', async () => {
    const earlier = envelope();
    await shared.apply(pending(earlier));
    const twice = envelope();
    const outcomes = await Promise.all([
      shared.apply(pending(twice)),
      shared.apply(pending({ ...twice, eventId: twice.eventId.toUpperCase() })),
      shared.apply(pending(earlier)),
    ]);
    expect(outcomes).toEqual([true, false, false]);
    expect(await effectsOf([earlier, twice])).toHaveLength(2);
  });

  it('rolls the whole group back when one event fails, and tells every caller', async () => {
    const good = [envelope(), envelope()];
    const bad = envelope();
    const failing = () => Promise.reject(new Error('the handler failed'));
    const settled = await Promise.allSettled([
      shared.apply(pending(good[0])),
      shared.apply(pending(bad, failing)),
      shared.apply(pending(good[1])),
    ]);
    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await effectsOf(good)).toHaveLength(0);
    const inbox = await pool.query('SELECT 1 FROM inbox WHERE event_id = ANY($1::uuid[])', [
      [...good, bad].map((event) => event.eventId),
    ]);
    expect(inbox.rows).toHaveLength(0);

    expect(await Promise.all(good.map((event) => shared.apply(pending(event))))).toEqual([true, true]);
    expect(await effectsOf(good)).toHaveLength(2);
  });

  it('hands the fresh events of a group that share a group handler to one call, in their order, and runs what it leaves after commit', async () => {
    const calls: string[][] = [];
    let committedWhenAfterCommitRan = -1;
    const handleGroup = async (tx: SqlExecutor, events: EventEnvelope[]) => {
      calls.push(events.map((event) => event.eventId));
      for (const event of events) await recordEffect(tx, event);
      return async () => {
        committedWhenAfterCommitRan = (await effectsOf(events)).length;
      };
    };
    const grouped = (event: EventEnvelope): PendingEvent<SqlExecutor> => ({
      ...pending(event),
      apply: handleGroup,
    });
    const applied = envelope();
    await shared.apply(pending(applied));
    const together = [envelope(), envelope(), envelope()];
    const alone = envelope();
    const outcomes = await Promise.all([
      shared.apply(grouped(together[0])),
      shared.apply(pending(alone)),
      shared.apply(grouped(applied)),
      shared.apply(grouped(together[1])),
      shared.apply(grouped(together[2])),
    ]);
    expect(outcomes).toEqual([true, true, false, true, true]);
    expect(calls).toEqual([together.map((event) => event.eventId)]);
    expect(committedWhenAfterCommitRan).toBe(3);
    const effects = await effectsOf([...together, alone]);
    expect(effects).toHaveLength(4);
    expect(new Set(effects.map((effect) => effect.transaction_id)).size).toBe(1);
  });

  it('writes the outbox rows a group appends together before it commits, in the order appended', async () => {
    const outbox = new OutboxWriter(new PlatformSettings(new ConfigService({}), 'intake'));
    const withOutbox = new SharedTransactions(
      transactionsOver(pool),
      'inbox',
      { groupSize: 50, concurrent: 1 },
      outbox,
    );
    const appendTwo = async (tx: SqlExecutor, event: EventEnvelope) => {
      for (const step of ['first', 'second']) {
        await outbox.append(tx, ReferralRouted, { caseId: event.caseId, payload: { step } as never });
      }
    };
    const failing = async (tx: SqlExecutor, event: EventEnvelope) => {
      await appendTwo(tx, event);
      throw new Error('the handler failed');
    };
    const events = [envelope(), envelope(), envelope()];
    await Promise.all(events.map((event) => withOutbox.apply(pending(event, appendTwo))));
    await expect(withOutbox.apply(pending(envelope(), failing))).rejects.toThrow('the handler failed');

    const rows = await pool.query<{ key: string; step: string; transaction_id: string }>(
      `SELECT key, envelope->'payload'->>'step' AS step, xmin::text AS transaction_id FROM intake.outbox ORDER BY sequence`,
    );
    expect(rows.rows.map(({ key, step }) => [key, step])).toEqual(
      events.flatMap((event) => [
        [event.caseId, 'first'],
        [event.caseId, 'second'],
      ]),
    );
    expect(new Set(rows.rows.map((row) => row.transaction_id)).size).toBe(1);

    const direct = envelope();
    await transactionsOver(pool).$transaction((tx) => appendTwo(tx, direct));
    const written = await pool.query('SELECT 1 FROM intake.outbox WHERE key = $1', [direct.caseId]);
    expect(written.rows).toHaveLength(2);
  });
});
