import { randomUUID } from 'node:crypto';
import { PlatformSettings } from '@nrm/config';
import { openDatabase } from '@nrm/persistence';
import { dropDatabase, ensureDatabase, withDatabase } from '../../../../tools/db/database';
import { chooseTestInfrastructure, templateDatabase } from '../../../../libs/testing/src/infrastructure';
import { PrismaClient } from './generated/client';
import { IntakeDatabase } from './intake-database.service';

const CONSUMER = 'direct-sql-spec';

describe('the intake database: raw SQL sent straight to pg', () => {
  const url = withDatabase(chooseTestInfrastructure().databaseUrl, `nrm_test_direct_sql_${process.pid}`);
  const settings = {
    databaseUrl: url,
    databaseSchema: 'intake',
    databasePoolSize: 3,
    databaseConnectionLifetimeSeconds: 30,
  };
  let db: IntakeDatabase;
  let prismaOnly: PrismaClient;

  beforeAll(async () => {
    await ensureDatabase(url, templateDatabase());
    db = new IntakeDatabase(settings as PlatformSettings);
    prismaOnly = new PrismaClient(openDatabase(settings).prismaOptions);
  });
  afterAll(async () => {
    await db.$disconnect();
    await prismaOnly.$disconnect();
    await dropDatabase(url);
  });

  const inbox = (eventId: string) =>
    db.inboxEvent.findUnique({ where: { consumer_eventId: { consumer: CONSUMER, eventId } } });
  const insertRaw = (tx: { $executeRawUnsafe: IntakeDatabase['$executeRawUnsafe'] }, eventId: string) =>
    tx.$executeRawUnsafe(
      `INSERT INTO inbox (consumer, event_id, topic) VALUES ($1, $2::uuid, 'raw')`,
      CONSUMER,
      eventId,
    );

  it('commits raw SQL and Prisma queries of one transaction together, or rolls both back', async () => {
    const [raw, model, rolledBackRaw, rolledBackModel] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];

    const seenInside = await db.$transaction(async (tx) => {
      await insertRaw(tx, raw);
      await tx.inboxEvent.create({ data: { consumer: CONSUMER, eventId: model, topic: 'model' } });
      return tx.$queryRawUnsafe<{ topic: string }[]>(
        'SELECT topic FROM inbox WHERE consumer = $1 ORDER BY topic',
        CONSUMER,
      );
    });
    const failure = db.$transaction(async (tx) => {
      await tx.inboxEvent.create({ data: { consumer: CONSUMER, eventId: rolledBackModel, topic: 'model' } });
      await insertRaw(tx, rolledBackRaw);
      throw new Error('the work failed');
    });

    expect(seenInside).toEqual([{ topic: 'model' }, { topic: 'raw' }]);
    await expect(failure).rejects.toThrow('the work failed');
    expect(await inbox(raw)).not.toBeNull();
    expect(await inbox(model)).not.toBeNull();
    expect(await inbox(rolledBackRaw)).toBeNull();
    expect(await inbox(rolledBackModel)).toBeNull();
  });

  it('refuses raw SQL once its transaction ran past its time, so nothing is written outside it', async () => {
    const [first, late] = [randomUUID(), randomUUID()];
    let lateWrite: Promise<number> | undefined;

    const slow = db.$transaction(
      async (tx) => {
        await insertRaw(tx, first);
        await new Promise((resolve) => setTimeout(resolve, 600));
        lateWrite = insertRaw(tx, late);
        await lateWrite;
      },
      { timeout: 200 },
    );

    await expect(slow).rejects.toThrow('Transaction already closed');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await expect(lateWrite).rejects.toThrow('Transaction already closed');
    expect(await inbox(first)).toBeNull();
    expect(await inbox(late)).toBeNull();
  });

  it('gives raw results the values Prisma gives them', async () => {
    const query = `SELECT 7::int4 AS small, 9007199254740993::int8 AS big, count(*) AS counted,
        DATE '2026-02-28' AS day, TIMESTAMP '2026-02-28 23:30:05.123' AS wall_time,
        TIMESTAMPTZ '2026-02-28 23:30:05.123+07' AS instant, '{"a": [1, "b"]}'::jsonb AS document,
        ARRAY['x', 'y']::text[] AS labels, $1::uuid AS id, true AS flag, NULL::text AS nothing,
        $2::timestamptz AS given_instant, $3::timestamp AS given_wall_time
      FROM (VALUES (1), (2)) AS rows(n)`;
    const id = randomUUID();
    const at = new Date('2026-11-30T17:45:00.250Z');

    const direct = await db.$queryRawUnsafe<Record<string, unknown>[]>(query, id, at, at);
    const throughPrisma = await prismaOnly.$queryRawUnsafe<Record<string, unknown>[]>(query, id, at, at);

    expect(direct).toEqual(throughPrisma);
    expect(direct[0]).toMatchObject({
      big: 9007199254740993n,
      day: new Date('2026-02-28T00:00:00Z'),
      given_instant: at,
    });
  });
});
