import { Client } from 'pg';

const FLOOR_SECONDS = 10;

/**
 * The most single-row commits per second this PostgreSQL takes from
 * `connections` clients at once, each committing one INSERT at a time: the
 * ceiling for anything that must commit before it answers. Runs in a table of
 * its own, dropped afterwards.
 */
export async function measurePostgresFloor(
  databaseUrl: string,
  connections: number,
): Promise<{ commitsPerSecond: number; connections: number; seconds: number }> {
  const setup = new Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query(
    'CREATE TABLE IF NOT EXISTS public.bench_commit_floor (id bigserial PRIMARY KEY, at timestamptz NOT NULL)',
  );
  const clients = await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  let commits = 0;
  const began = Date.now();
  const until = began + FLOOR_SECONDS * 1_000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (Date.now() < until) {
          await client.query('INSERT INTO public.bench_commit_floor (at) VALUES (now())');
          commits += 1;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((client) => client.end()));
    await setup.query('DROP TABLE public.bench_commit_floor');
    await setup.end();
  }
  const seconds = (Date.now() - began) / 1_000;
  return {
    commitsPerSecond: Math.round(commits / seconds),
    connections,
    seconds: Math.round(seconds * 10) / 10,
  };
}
