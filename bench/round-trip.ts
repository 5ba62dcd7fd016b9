import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { Pool, PoolClient } from 'pg';
import { createPrismaAdapter } from '@nrm/persistence';
import { PrismaClient } from '../apps/intake/src/persistence/generated/client';
import { dropDatabase, migrate, withDatabase } from '../tools/db/database';
import { markdownTable, writeResults } from './report';

/**
 * What one SQL statement costs the service and the server, by the way it is
 * sent: the surge's CPU per referral is, to a first approximation, this cost
 * times the statements a referral needs (see bench/README.md).
 */

const STATEMENTS = Number(process.env.ROUND_TRIP_STATEMENTS ?? 5_000);
const WARM_UP = 500;
const CLOCK_TICKS_PER_SECOND = 100;

const databaseUrl = withDatabase(
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm',
  'nrm_bench_round_trip',
);
const NO_REFERRAL = '00000000-0000-0000-0000-000000000000';

interface Way {
  name: string;
  /** Statements each call sends. */
  statements: number;
  call: () => Promise<unknown>;
}

interface Measured {
  way: string;
  statementsPerCall: number;
  wallMsPerCall: number;
  serviceCpuMsPerCall: number;
  serverCpuMsPerCall: number;
}

/** CPU time of a process so far, in ms, from /proc (user and system). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1_000) / CLOCK_TICKS_PER_SECOND;
}

async function measure(way: Way, serverPid: number): Promise<Measured> {
  for (let index = 0; index < WARM_UP; index += 1) await way.call();
  const serverBefore = processCpuMs(serverPid);
  const serviceBefore = process.cpuUsage();
  const began = performance.now();
  for (let index = 0; index < STATEMENTS; index += 1) await way.call();
  const wallMs = performance.now() - began;
  const service = process.cpuUsage(serviceBefore);
  const perCall = (total: number) => Math.round((total / STATEMENTS) * 1_000) / 1_000;
  return {
    way: way.name,
    statementsPerCall: way.statements,
    wallMsPerCall: perCall(wallMs),
    serviceCpuMsPerCall: perCall((service.user + service.system) / 1_000),
    serverCpuMsPerCall: perCall(processCpuMs(serverPid) - serverBefore),
  };
}

async function backendPid(query: () => Promise<{ pid: number }[]>): Promise<number> {
  const [{ pid }] = await query();
  return pid;
}

async function inTransaction(client: PoolClient, sql: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(sql);
  await client.query('COMMIT');
}

async function main(): Promise<void> {
  console.log(`Round trip: ${STATEMENTS} calls of each way, one connection, one at a time`);
  await dropDatabase(databaseUrl);
  await migrate(databaseUrl);
  // One connection each, so that the server's CPU is read off the one backend that served it.
  const pool = new Pool({ connectionString: databaseUrl, max: 1, options: '-c search_path=intake' });
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter({
      url: databaseUrl,
      schema: 'intake',
      poolSize: 1,
      connectionLifetimeSeconds: 0,
    }),
  });
  try {
    const pgClient = await pool.connect();
    const pgPid = await backendPid(
      async () => (await pgClient.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows,
    );
    const prismaPid = await backendPid(() => prisma.$queryRawUnsafe('SELECT pg_backend_pid() AS pid'));
    const byStatusOf = 'SELECT status::text FROM referral WHERE id = $1::uuid';
    const results: Measured[] = [];
    for (const way of [
      { name: '`pg`: a query', statements: 1, call: () => pgClient.query(byStatusOf, [NO_REFERRAL]) },
      {
        name: '`pg`: BEGIN, a query, COMMIT',
        statements: 3,
        call: () => inTransaction(pgClient, 'SELECT 1'),
      },
    ]) {
      results.push(await measure(way, pgPid));
    }
    pgClient.release();
    for (const way of [
      {
        name: 'Prisma: `$queryRawUnsafe`',
        statements: 1,
        call: () => prisma.$queryRawUnsafe(byStatusOf, NO_REFERRAL),
      },
      {
        name: 'Prisma: `findUnique`, one field',
        statements: 1,
        call: () => prisma.referral.findUnique({ where: { id: NO_REFERRAL }, select: { status: true } }),
      },
      {
        name: 'Prisma: `findUnique`, every field',
        statements: 1,
        call: () => prisma.referral.findUnique({ where: { id: NO_REFERRAL } }),
      },
      {
        name: 'Prisma: `$transaction` around one `$queryRawUnsafe`',
        statements: 3,
        call: () => prisma.$transaction((tx) => tx.$queryRawUnsafe('SELECT 1')),
      },
    ]) {
      results.push(await measure(way, prismaPid));
    }
    const markdown = [
      `# Round trip (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores)`,
      '',
      `${STATEMENTS} calls of each way over one connection, one at a time; CPU per call of this process (the service's side) and of its PostgreSQL backend.`,
      '',
      markdownTable(
        ['way', 'statements', 'wall ms', 'service CPU ms', 'PostgreSQL CPU ms'],
        results.map((result) => [
          result.way,
          result.statementsPerCall,
          result.wallMsPerCall,
          result.serviceCpuMsPerCall,
          result.serverCpuMsPerCall,
        ]),
      ),
    ].join('\n');
    console.log(`\n${markdown}\n`);
    const files = writeResults(
      'round-trip',
      {
        benchmark: 'round-trip',
        date: new Date().toISOString(),
        machine: { cores: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
        callsPerWay: STATEMENTS,
        results,
      },
      markdown,
    );
    console.log(`Wrote ${files.join(', ')}`);
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await dropDatabase(databaseUrl);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
