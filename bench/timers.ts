import 'reflect-metadata';
import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { Client } from 'pg';
import { PlatformModule } from '@nrm/runtime';
import { Deadline, DeadlineBreachHandler, Deadlines, DEADLINES_QUEUE } from '@nrm/scheduling';
import { dropQueueKeys } from '@nrm/testing';
import { DeadlineKinds } from '../apps/province/src/deadlines/deadline-policies';
import { ProvinceDatabase } from '../apps/province/src/persistence/province-database.service';
import { dropDatabase, migrate, withDatabase } from '../tools/db/database';
import { markdownTable, percentiles, Percentiles, writeResults } from './report';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const DEADLINES = Number(process.env.BENCH_DEADLINES ?? 1_000_000);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 2_000);
/** Follow-up visits are planned months ahead; none of the far ones falls due during the run. */
const FAR_FROM_MS = HOUR_MS;
const FAR_SPREAD_MS = 182 * DAY_MS;
/** The sample falls due evenly over this span, starting this long after it is recorded. */
const SAMPLE_DUE_AFTER_MS = 10_000;
const SAMPLE_DUE_SPREAD_MS = 30_000;
/** How long a sample deadline may be late before it counts as lost. */
const LOST_AFTER_MS = 30_000;
/** Requests recording deadlines at once, as a busy service would (its pool has 10 connections). */
const RECORDING_CONCURRENCY = 10;
const LAG_TARGET_MS = 1_000;

const databaseUrl = withDatabase(
  process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm',
  'nrm_bench_timers',
);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const queuePrefix = `nrm-bench-timers-${process.pid}`;

/** The breach handler of the run: notes when each sample deadline fired, and how often. */
@Injectable()
class FiringRecorder implements DeadlineBreachHandler {
  readonly kinds = [DeadlineKinds.followUpVisit];
  readonly lagsById = new Map<string, number[]>();

  onBreach(_tx: unknown, deadline: Deadline): Promise<void> {
    const lags = this.lagsById.get(deadline.id) ?? [];
    lags.push(Date.now() - deadline.dueAt.getTime());
    this.lagsById.set(deadline.id, lags);
    return Promise.resolve();
  }
}

@Module({})
class TimersBenchModule {}

/** The province's platform wiring (settings, database, BullMQ deadlines and worker) without HTTP or Kafka. */
function benchModule(windowMs: number) {
  Object.assign(process.env, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: queuePrefix,
    DEADLINE_WINDOW_MS: String(windowMs),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  return {
    module: TimersBenchModule,
    imports: [
      PlatformModule.forService({
        service: 'province',
        database: ProvinceDatabase,
        deadlineBreachHandlers: [FiringRecorder],
      }),
    ],
    providers: [FiringRecorder],
  };
}

interface Rate {
  count: number;
  seconds: number;
  perSecond: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1_000 };
}

function rate(count: number, seconds: number): Rate {
  return { count, seconds: round(seconds, 2), perSecond: Math.round(count / seconds) };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function sql<T extends Record<string, unknown>>(query: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(query, values)).rows;
  } finally {
    await client.end();
  }
}

async function redisUsedMemory(): Promise<number> {
  const redis = new Redis(redisUrl);
  try {
    const info = await redis.info('memory');
    return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
  } finally {
    redis.disconnect();
  }
}

/**
 * The far deadlines go in with one statement: the rate that matters for the
 * service is measured on the sample, which goes through `Deadlines.create`.
 */
async function loadFarDeadlines(count: number): Promise<Rate> {
  const { seconds } = await timed(() =>
    sql(
      `INSERT INTO province.deadline (id, case_id, kind, subject_id, due_at)
       SELECT gen_random_uuid(), gen_random_uuid(), $1, gen_random_uuid(),
              now() + ($2 + random() * $3) * interval '1 millisecond'
         FROM generate_series(1, $4)`,
      [DeadlineKinds.followUpVisit, FAR_FROM_MS, FAR_SPREAD_MS, count],
    ),
  );
  // What autovacuum does soon after a large load; the reconciler's page query depends on it.
  await sql('ANALYZE province.deadline');
  return rate(count, seconds);
}

async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += RECORDING_CONCURRENCY) {
    await Promise.all(items.slice(start, start + RECORDING_CONCURRENCY).map(work));
  }
}

interface VariantResult {
  name: string;
  windowDays: number;
  /** Pending deadlines in PostgreSQL while the sample fired. */
  pendingDeadlines: number;
  /** Delayed jobs in Redis once the service had started. */
  heldInRedis: number;
  startup: Rate;
  /** A periodic reconcile over jobs that already exist, run while the sample fires. */
  periodicReconcile: Rate;
  redisMemory: { beforeBytes: number; afterBytes: number; bytesPerJob: number | null };
  recording: Rate;
  queueing: Rate;
  firing: { sample: number; fired: number; lost: number; duplicated: number; notBreachedInDatabase: number };
  lagMs: Percentiles;
}

/**
 * Starts the service's deadline machinery with this window over the loaded
 * table, then records a sample due within the run and follows it until it fired.
 */
async function runVariant(name: string, windowMs: number): Promise<VariantResult> {
  process.stdout.write(`\n${name}: starting the service (its start-up reconcile queues the window)\n`);
  const memoryBefore = await redisUsedMemory();
  const { value: app, seconds: startupSeconds } = await timed(() =>
    NestFactory.createApplicationContext(benchModule(windowMs), { bufferLogs: true, abortOnError: false }),
  );
  app.useLogger(app.get(Logger));
  try {
    const queue = app.get<Queue>(getQueueToken(DEADLINES_QUEUE));
    const deadlines = app.get(Deadlines);
    const database = app.get(ProvinceDatabase);
    const recorder = app.get(FiringRecorder);

    const heldInRedis = await queue.getDelayedCount();
    const startup = rate(heldInRedis, startupSeconds);
    const memoryAfter = await redisUsedMemory();
    process.stdout.write(`  ${heldInRedis} delayed jobs queued in ${startup.seconds} s\n`);

    const firstDue = Date.now() + SAMPLE_DUE_AFTER_MS;
    const planned = Array.from({ length: SAMPLE }, (_, index) => ({
      caseId: randomUUID(),
      kind: DeadlineKinds.followUpVisit,
      subjectId: randomUUID(),
      dueAt: new Date(firstDue + Math.floor((index * SAMPLE_DUE_SPREAD_MS) / SAMPLE)),
    }));
    const recorded: Deadline[] = [];
    const recording = await timed(() =>
      inBatches(planned, async (deadline) =>
        recorded.push(await database.$transaction((tx) => deadlines.create(tx, deadline))),
      ),
    );
    const queueing = await timed(() => inBatches(recorded, (deadline) => deadlines.schedule(deadline)));
    if (Date.now() > firstDue)
      process.stdout.write('  warning: the sample was still being queued when due\n');
    process.stdout.write(
      `  sample of ${SAMPLE} recorded and queued; it fires while a periodic reconcile runs\n`,
    );

    // The worst case for lag: the reconciler re-adding every window job competes for Redis, PostgreSQL and the CPU.
    const reconciling = timed(() => deadlines.reconcile());
    const sampleIds = recorded.map((deadline) => deadline.id);
    const giveUpAt = firstDue + SAMPLE_DUE_SPREAD_MS + LOST_AFTER_MS;
    while (Date.now() < giveUpAt && !sampleIds.every((id) => recorder.lagsById.has(id))) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const reconciled = await reconciling;
    const periodicReconcile = rate(reconciled.value, reconciled.seconds);
    process.stdout.write(
      `  the periodic reconcile examined ${periodicReconcile.count} in ${periodicReconcile.seconds} s\n`,
    );
    const firings = sampleIds.map((id) => recorder.lagsById.get(id) ?? []);
    const [{ breached }] = await sql<{ breached: number }>(
      "SELECT count(*)::int AS breached FROM province.deadline WHERE id = ANY($1::uuid[]) AND status = 'breached'",
      [sampleIds],
    );
    const [{ pending }] = await sql<{ pending: number }>(
      "SELECT count(*)::int AS pending FROM province.deadline WHERE status = 'pending'",
    );
    const fired = firings.filter((lags) => lags.length > 0);
    return {
      name,
      windowDays: round(windowMs / DAY_MS, 1),
      pendingDeadlines: pending + fired.length,
      heldInRedis,
      startup,
      periodicReconcile,
      redisMemory: {
        beforeBytes: memoryBefore,
        afterBytes: memoryAfter,
        bytesPerJob: heldInRedis > 0 ? Math.round((memoryAfter - memoryBefore) / heldInRedis) : null,
      },
      recording: rate(SAMPLE, recording.seconds),
      queueing: rate(SAMPLE, queueing.seconds),
      firing: {
        sample: SAMPLE,
        fired: fired.length,
        lost: SAMPLE - fired.length,
        duplicated: firings.filter((lags) => lags.length > 1).length,
        notBreachedInDatabase: SAMPLE - breached,
      },
      lagMs: percentiles(fired.map((lags) => lags[0])),
    };
  } finally {
    await app.close();
    await dropQueueKeys(redisUrl, queuePrefix);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(0)} MB`;
}

function report(farLoad: Rate, variants: VariantResult[]): string {
  const rows: [string, (variant: VariantResult) => string][] = [
    ['window', (v) => `${v.windowDays} days`],
    ['pending deadlines (PostgreSQL)', (v) => v.pendingDeadlines.toLocaleString('en')],
    ['delayed jobs held (Redis)', (v) => v.heldInRedis.toLocaleString('en')],
    [
      'start-up: reconcile queues the window',
      (v) => `${v.startup.seconds} s (${v.startup.perSecond} jobs/s)`,
    ],
    [
      'periodic reconcile, while the sample fires',
      (v) => `${v.periodicReconcile.seconds} s (${v.periodicReconcile.perSecond} rows/s)`,
    ],
    [
      'Redis used_memory: before → after start',
      (v) =>
        `${megabytes(v.redisMemory.beforeBytes)} → ${megabytes(v.redisMemory.afterBytes)}` +
        (v.redisMemory.bytesPerJob === null ? '' : ` (${v.redisMemory.bytesPerJob} B/job)`),
    ],
    ['recording: Deadlines.create, own transaction', (v) => `${v.recording.perSecond} rows/s`],
    ['queueing: Deadlines.schedule', (v) => `${v.queueing.perSecond} jobs/s`],
    [
      'sample fired / lost / duplicated',
      (v) => `${v.firing.fired} / ${v.firing.lost} / ${v.firing.duplicated}`,
    ],
    ['sample not breached in PostgreSQL', (v) => String(v.firing.notBreachedInDatabase)],
    ['firing lag p50 / p90', (v) => `${v.lagMs.p50} ms / ${v.lagMs.p90} ms`],
    ['firing lag p99 / max', (v) => `${v.lagMs.p99} ms / ${v.lagMs.max} ms`],
  ];
  const table = markdownTable(
    ['', ...variants.map((variant) => variant.name)],
    rows.map(([label, cell]) => [label, ...variants.map(cell)]),
  );
  return [
    `# Timers benchmark (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores)`,
    '',
    `${farLoad.count.toLocaleString('en')} far follow-up deadlines loaded in ${farLoad.seconds} s ` +
      `(${farLoad.perSecond} rows/s, one INSERT … SELECT), plus a sample of ${SAMPLE} due within the run.`,
    '',
    table,
  ].join('\n');
}

async function main(): Promise<void> {
  process.stdout.write(
    `Timers benchmark: ${DEADLINES} deadlines, sample ${SAMPLE}, queue prefix ${queuePrefix}\n`,
  );
  await dropDatabase(databaseUrl);
  await migrate(databaseUrl);
  try {
    const farLoad = await loadFarDeadlines(DEADLINES - SAMPLE);
    process.stdout.write(`${farLoad.count} far deadlines loaded in ${farLoad.seconds} s\n`);
    const variants = [
      await runVariant('rolling window (default)', DAY_MS),
      await runVariant('all held in Redis', FAR_FROM_MS + FAR_SPREAD_MS + DAY_MS),
    ];
    const markdown = report(farLoad, variants);
    const held = variants[variants.length - 1];
    const result = {
      benchmark: 'timers',
      date: new Date().toISOString(),
      // Other work on the machine (tests, services) shows here: compare figures within one run.
      machine: { cores: os.cpus().length, node: process.version, loadAverage: os.loadavg() },
      deadlines: DEADLINES,
      sample: SAMPLE,
      farLoad,
      variants,
      target: {
        heldInRedis: DEADLINES,
        lagP99Ms: LAG_TARGET_MS,
        met:
          held.heldInRedis + SAMPLE >= DEADLINES &&
          variants.every(
            (v) => v.lagMs.p99 < LAG_TARGET_MS && v.firing.lost === 0 && v.firing.duplicated === 0,
          ),
      },
    };
    const files = writeResults('timers', result, markdown);
    process.stdout.write(`\n${markdown}\n\nTarget met: ${result.target.met}\nWrote ${files.join(', ')}\n`);
  } finally {
    await dropDatabase(databaseUrl);
    await dropQueueKeys(redisUrl, queuePrefix);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Timers benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
