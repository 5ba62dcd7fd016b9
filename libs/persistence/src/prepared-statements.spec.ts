import { createHash } from 'node:crypto';
import type { PrismaPg } from '@prisma/adapter-pg';
import { chooseTestInfrastructure } from '../../testing/src/infrastructure';
import { PreparedStatementNames } from './prepared-statements';
import { createPrismaAdapter } from './prisma-adapter';

const TEXT = { scalarType: 'string', arity: 'scalar' } as const;

describe('prepared statements', () => {
  let adapter: Awaited<ReturnType<PrismaPg['connect']>>;

  beforeAll(async () => {
    // One connection, so that every statement below runs in the session whose prepared statements are read.
    const factory = createPrismaAdapter({
      url: chooseTestInfrastructure().databaseUrl,
      schema: 'public',
      poolSize: 1,
      connectionLifetimeSeconds: 0,
    });
    adapter = await factory.connect();
  });
  afterAll(() => adapter.dispose());

  const run = (sql: string, value: string) => adapter.queryRaw({ sql, args: [value], argTypes: [TEXT] });
  const prepared = async () =>
    (
      await adapter.queryRaw({ sql: 'SELECT statement FROM pg_prepared_statements', args: [], argTypes: [] })
    ).rows.map(([statement]) => statement as string);

  it('prepares a repeated statement once per connection, keeps a one-off statement unnamed, and answers alike', async () => {
    const repeated = "SELECT $1::text || ' repeated' AS answer";
    const answers = [];
    for (const value of ['a', 'b', 'c']) answers.push((await run(repeated, value)).rows[0][0]);
    await run("SELECT $1::text || ' once' AS answer", 'd');

    expect(answers).toEqual(['a repeated', 'b repeated', 'c repeated']);
    const statements = await prepared();
    expect(statements).toContain(repeated);
    expect(statements.filter((statement) => statement.includes(' once'))).toEqual([]);
  });

  it('stops naming new statements at its bound, so a connection never holds more than that many', () => {
    const names = new PreparedStatementNames({ preparedAfter: 1, maxPrepared: 2 });
    const first = names.nameOf('SELECT 1');
    const second = names.nameOf('SELECT 2');

    expect(first).toMatch(/^nrm_[0-9a-f]{40}$/);
    expect(second).not.toEqual(first);
    expect(names.nameOf('SELECT 3')).toBe('');
    expect(names.nameOf('SELECT 1')).toBe(first);
  });

  describe('on a connection with a lifetime', () => {
    const LIFETIME_SECONDS = 5;
    const table = `plan_probe_${process.pid}`;
    const probe = `SELECT p.pad FROM jsonb_to_recordset($1::jsonb) AS r(id int) JOIN ${table} p ON p.id = r.id`;
    const probeName = `nrm_${createHash('sha1').update(probe).digest('hex')}`;
    let aging: Awaited<ReturnType<PrismaPg['connect']>>;

    beforeAll(async () => {
      aging = await createPrismaAdapter({
        url: chooseTestInfrastructure().databaseUrl,
        schema: 'public',
        poolSize: 1,
        connectionLifetimeSeconds: LIFETIME_SECONDS,
      }).connect();
    });
    afterAll(async () => {
      await aging.executeRaw({ sql: `DROP TABLE IF EXISTS ${table}`, args: [], argTypes: [] });
      await aging.dispose();
    });

    const sql = (text: string) => aging.executeRaw({ sql: text, args: [], argTypes: [] });
    /** Runs the probe past PostgreSQL's five custom plans, then reads the plan the connection keeps. */
    const keptPlan = async () => {
      for (let run = 0; run < 7; run += 1)
        await aging.queryRaw({ sql: probe, args: ['[{"id": 1}]'], argTypes: [TEXT] });
      const plan = await aging.queryRaw({
        sql: `EXPLAIN EXECUTE ${probeName}('[{"id": 1}]')`,
        args: [],
        argTypes: [],
      });
      return plan.rows.map(([line]) => line as string).join('\n');
    };

    it('plans a repeated statement again for its tables as they grow, once the lifetime has passed', async () => {
      await sql(`CREATE TABLE ${table} (id int PRIMARY KEY, pad text)`);
      await sql(`INSERT INTO ${table} SELECT g, 'pad' FROM generate_series(1, 20) AS g`);
      const whileSmall = await keptPlan();
      await sql(`INSERT INTO ${table} SELECT g, 'pad' FROM generate_series(21, 100000) AS g`);
      const afterGrowth = await keptPlan();
      await new Promise((resolve) => setTimeout(resolve, (LIFETIME_SECONDS + 1) * 1_000));
      const afterLifetime = await keptPlan();

      expect(whileSmall).toContain(`Seq Scan on ${table}`);
      expect(afterGrowth).toContain(`Seq Scan on ${table}`);
      expect(afterLifetime).toContain(`Index Scan using ${table}_pkey`);
      expect(afterLifetime).not.toContain('Seq Scan');
    }, 20_000);
  });
});
