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
});
