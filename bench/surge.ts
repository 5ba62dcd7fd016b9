import 'reflect-metadata';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { allTopics } from '@nrm/contracts';
import { consumerGroupLag } from '@nrm/messaging';
import { Client } from 'pg';
import { SERVICE_NAMES, ServiceName } from '@nrm/config';
import {
  chooseTestInfrastructure,
  duplicatedCount,
  outcomeOf,
  prepareDatabase,
  PrivatePostgres,
  ReferralGenerator,
  ReferralSubmitter,
  CATCH_UP_NICENESS,
  TestInfrastructure,
  TestSystem,
} from '@nrm/testing';
import { dropDatabase, withDatabase } from '../tools/db/database';
import { measurePostgresFloor } from './postgres-floor';
import { PostgresWork, PostgresWorkMeter, STATEMENT_STATISTICS_SETTINGS } from './postgres-work';
import { markdownTable, percentiles, Percentiles, PROFILE_WINDOW_FILE, writeResults } from './report';
import { renderChart } from './surge-chart';

const REFERRALS = Number(process.env.SURGE_REFERRALS ?? 10_000);
/** Requests per second to aim at; unset: as fast as the intake API answers `SURGE_CONCURRENCY` requests at a time. */
const RATE = process.env.SURGE_RATE ? Number(process.env.SURGE_RATE) : undefined;
const CONCURRENCY = Number(process.env.SURGE_CONCURRENCY ?? 32);
const POOL_SIZE = Number(process.env.SURGE_POOL_SIZE ?? 10);
/** As `npm run up` runs them, the event consumers yield the CPU to intake; `SURGE_EQUAL_PRIORITY=1` runs all alike. */
const EQUAL_PRIORITY = process.env.SURGE_EQUAL_PRIORITY === '1';
/** As `npm run up` runs them, the four services behind intake share one process; `SURGE_CATCH_UP_APART=1` runs one each. */
const CATCH_UP_APART = process.env.SURGE_CATCH_UP_APART === '1';
const TIMEOUT_MS = Number(process.env.SURGE_TIMEOUT_S ?? 600) * 1_000;
/** Where each service writes a CPU profile of the run when it stops (`npm run bench:profile` reads them). */
const CPU_PROFILE_DIR = process.env.SURGE_CPU_PROFILE_DIR;
/**
 * `private` (default): a PostgreSQL server of the run's own, on this machine's disk, with the
 * settings a deployment's has (docker-compose.yml runs the postgres:15 image's defaults, which
 * analyse and vacuum as tables grow). `machine`: the server at DATABASE_URL, whatever its settings.
 */
const POSTGRES = process.env.SURGE_POSTGRES ?? 'private';
/**
 * Settings for the private server on top of its defaults, `name=value` separated by spaces
 * (`SURGE_POSTGRES_SETTINGS="shared_buffers=2GB plan_cache_mode=force_custom_plan"`): to measure
 * what a setting changes. Each is reported with the run's figures.
 */
const POSTGRES_SETTINGS: Record<string, string> = Object.fromEntries(
  (process.env.SURGE_POSTGRES_SETTINGS ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((setting) => {
      const [name, ...value] = setting.split('=');
      if (value.length === 0) throw new Error(`SURGE_POSTGRES_SETTINGS: "${setting}" is not name=value`);
      return [name, value.join('=')];
    }),
);
/**
 * Referrals sent through before the measured ones. By default 50, a warm-up on a new database, as
 * in every round since the first. `SURGE_HISTORY` sends that many instead and then analyses the
 * database, as autovacuum has in a deployment that has been running: the surge meets tables with
 * that history and plans made for them. Analysed after only 50, the plans are made for tables of
 * 50 referrals and the surge costs more (bench/README.md, thirteenth round).
 */
const HISTORY = Number(process.env.SURGE_HISTORY ?? 50);
const ANALYSED_HISTORY = process.env.SURGE_HISTORY !== undefined;
/** Linux's USER_HZ: /proc reports CPU time in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;
const CASE_WORKERS = [
  'case-worker-police-tak',
  'case-worker-labour-samut-sakhon',
  'case-worker-hotline-1300',
];
const TARGETS = { referralsPerSecond: 300, intakeP99Ms: 100, completedWithinSeconds: 60 };

const streamTopics = allTopics()
  .map((topic) => topic.name)
  .filter((name) => !name.endsWith('.dlq'));
const serverUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm';
const templateName = `nrm_bench_surge_template_${process.pid}`;

interface Sample {
  second: number;
  submitted: number;
  notified: number;
  lagByGroup: Record<string, number>;
  rssMbByProcess: Record<string, number>;
}

/** What a run reports: `bench/results/surge-latest.json`, and the markdown table's figures. */
interface SurgeResult {
  benchmark: 'surge';
  date: string;
  machine: { cores: number; node: string; loadAverage: number[]; postgres: Record<string, string> };
  settings: {
    rate: number | string;
    concurrency: number;
    poolSize: number;
    equalPriority: boolean;
    catchUpApart: boolean;
    postgres: string;
    history: number;
    historyAnalysed: boolean;
  };
  referrals: number;
  referralsPerSecond: number;
  completedWithinSeconds: number;
  intakeP50Ms: number;
  intakeP90Ms: number;
  intakeP99Ms: number;
  intakeMaxMs: number;
  intakeRetries: number;
  stagesMs: Record<string, Percentiles>;
  peakMemoryMb: Record<string, number>;
  cpuMsPerReferral: Record<string, number>;
  postgresFloorCommitsPerSecond: number;
  postgresConnections: number;
  writeTransactionsPerReferral: number;
  transactionsPerReferralIncludingReads: number;
  ratioToFloor: number;
  postgresWalBytesPerReferral: number;
  postgresExecutionMsPerReferral: number | null;
  postgresStatementsPerReferral: number | null;
  postgresPagesPerReferral: number | null;
  postgresStatements: PostgresWork['statements'];
  lost: number;
  duplicated: number;
  duplicatedByEffect: Record<string, number>;
  targets: typeof TARGETS;
  samples: Sample[];
}

const elapsedSeconds = (from: number) => Math.round((Date.now() - from) / 100) / 10;
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * CPU time a process has used so far (user and system, Linux /proc), in seconds; with `reaped`,
 * also that of its children that have ended.
 */
function cpuSecondsOf(pid: number | undefined, reaped = false): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime, stime, cutime and cstime are fields 14 to 17 of stat; after the command name, 11 to 14.
    const ticks =
      Number(fields[11]) + Number(fields[12]) + (reaped ? Number(fields[13]) + Number(fields[14]) : 0);
    return ticks / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds of PostgreSQL on the machine (its backends serve this run and anyone else's): every
 * server process, and the backends that have ended, which the postmaster counts as reaped
 * children. Without those, a connection the pool closed during the run took its CPU with it.
 */
function postgresCpuSeconds(): number {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    })
    .reduce((sum, pid) => sum + cpuSecondsOf(Number(pid), true), 0);
}

function cpuSnapshot(processes: Record<string, number | undefined>): Record<string, number> {
  return {
    ...Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, cpuSecondsOf(pid)])),
    postgres: postgresCpuSeconds(),
  };
}

/** Resident memory of a process, now and at its peak (Linux /proc), in MB. */
/** V8 stamps a CPU profile's samples with this clock, the same in every process. */
function monotonicMicroseconds(): number {
  return Number(process.hrtime.bigint() / 1_000n);
}

/** The measured part of the run, so that the profiles' summary leaves out start-up and warm-up. */
function writeProfileWindow(directory: string, fromMicroseconds: number, toMicroseconds: number): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    path.join(directory, PROFILE_WINDOW_FILE),
    JSON.stringify({ fromMicroseconds, toMicroseconds }),
  );
}

function memoryOf(pid: number | undefined): { rss: number; peak: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { rss: round(kb('VmRSS') / 1024), peak: round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

class Surge {
  private readonly system: TestSystem;
  private readonly generator = new ReferralGenerator();
  private readonly tokens: string[] = [];
  readonly samples: Sample[] = [];

  constructor(infrastructure: TestInfrastructure) {
    this.system = new TestSystem(
      { DATABASE_POOL_SIZE: String(POOL_SIZE), OUTBOX_POLL_INTERVAL_MS: '500' },
      {
        infrastructure,
        template: templateName,
        niceness: EQUAL_PRIORITY ? {} : CATCH_UP_NICENESS,
        catchUpTogether: !CATCH_UP_APART,
        nodeArguments: CPU_PROFILE_DIR
          ? (deployable) => [
              '--cpu-prof',
              `--cpu-prof-dir=${CPU_PROFILE_DIR}`,
              `--cpu-prof-name=${deployable}.cpuprofile`,
            ]
          : undefined,
      },
    );
  }

  get databaseUrl(): string {
    return this.system.databaseUrl;
  }

  async start(): Promise<void> {
    await this.system.start([...SERVICE_NAMES]);
    for (const account of CASE_WORKERS) this.tokens.push(await this.system.tokenFor(account));
  }

  stop(): Promise<void> {
    return this.system.stop();
  }

  /** The services' latest warnings and errors, to explain a run that failed. */
  recentProblems(): string[] {
    return this.system.logs.filter((line) => /"level":(40|50|60)/.test(line)).slice(-40);
  }

  submitter(): ReferralSubmitter {
    return new ReferralSubmitter(
      () => this.system.url('intake'),
      this.tokens,
      `surge-${process.pid}`,
      this.generator,
    );
  }

  submitAll(submitter: ReferralSubmitter, from: number, count: number): Promise<string[]> {
    return submitter.submitMany(from, count, {
      concurrency: RATE ? Math.max(CONCURRENCY, RATE) : CONCURRENCY,
      ...(RATE ? { perSecond: RATE } : {}),
    });
  }

  async notifiedCount(client: Client, ids: readonly string[]): Promise<number> {
    const { rows } = await client.query<{ count: string }>(
      "SELECT count(*) FROM intake.referral WHERE status = 'notified' AND id = ANY($1::uuid[])",
      [ids],
    );
    return Number(rows[0]?.count ?? 0);
  }

  /** Each process by what it runs (a service, or `catch-up`). */
  processes(): Record<string, number | undefined> {
    const running = new Set(SERVICE_NAMES.map((name) => this.system.service(name)));
    return {
      ...Object.fromEntries([...running].map((process) => [process.service, process.pid])),
      broker: this.system.devBroker.pid,
    };
  }

  kafka(): Kafka {
    return new Kafka({ brokers: this.system.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  }

  groupOf(service: ServiceName): string {
    return `${this.system.queuePrefix}-${service}`;
  }
}

/** Messages each consumer group has yet to process, over the topics it consumes. */
async function consumerLag(admin: Admin, groups: string[]): Promise<Record<string, number>> {
  const lag: Record<string, number> = {};
  for (const groupId of groups) {
    // A group consumes the topics where it has committed an offset (every one has, after the warm-up).
    const offsets = await admin.fetchOffsets({ groupId, topics: streamTopics });
    const consumed = offsets
      .filter((topic) => topic.partitions.some((partition) => Number(partition.offset) >= 0))
      .map((topic) => topic.topic);
    const partitions = await consumerGroupLag(admin, groupId, consumed);
    lag[groupId] = partitions.reduce((total, partition) => total + partition.messages, 0);
  }
  return lag;
}

async function writeTransactions(client: Client): Promise<{ xid: number; commits: number }> {
  const { rows } = await client.query<{ xid: string; commits: string }>(
    `SELECT txid_current()::text AS xid,
       (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database())::text AS commits`,
  );
  return { xid: Number(rows[0]?.xid), commits: Number(rows[0]?.commits) };
}

async function stageLatencies(client: Client, ids: readonly string[]): Promise<Record<string, Percentiles>> {
  const { rows } = await client.query<{ stage: string; ms: number[] }>(
    `WITH steps AS (
       SELECT referral_id,
         min(occurred_at) FILTER (WHERE type = 'referral.submitted') AS submitted,
         min(occurred_at) FILTER (WHERE type = 'referral.routed') AS routed,
         min(occurred_at) FILTER (WHERE type = 'case.opened') AS opened,
         min(occurred_at) FILTER (WHERE type = 'notification.recorded') AS notified
       FROM intake.referral_history WHERE referral_id = ANY($1::uuid[]) GROUP BY referral_id)
     SELECT stage, array_agg(ms) AS ms FROM (
       SELECT 'intake → routed' AS stage, extract(epoch FROM routed - submitted) * 1000 AS ms FROM steps
       UNION ALL SELECT 'routed → opened', extract(epoch FROM opened - routed) * 1000 FROM steps
       UNION ALL SELECT 'opened → notified', extract(epoch FROM notified - opened) * 1000 FROM steps
       UNION ALL SELECT 'intake → notified', extract(epoch FROM notified - submitted) * 1000 FROM steps
     ) stages WHERE ms IS NOT NULL GROUP BY stage`,
    [ids],
  );
  return Object.fromEntries(
    rows.map((row) => [row.stage, percentiles(row.ms.map((ms) => Math.round(Number(ms))))]),
  );
}

async function main(): Promise<void> {
  process.stdout.write(
    `Surge benchmark: ${REFERRALS} referrals, ${RATE ? `${RATE}/s` : `${CONCURRENCY} at a time`}, ` +
      `pool ${POOL_SIZE} per service\n`,
  );
  if (POSTGRES !== 'private' && POSTGRES !== 'machine') {
    throw new Error(`SURGE_POSTGRES must be "private" or "machine", not "${POSTGRES}"`);
  }
  const privatePostgres =
    POSTGRES === 'private'
      ? await PrivatePostgres.start({ ...STATEMENT_STATISTICS_SETTINGS, ...POSTGRES_SETTINGS })
      : undefined;
  const templateUrl = withDatabase(privatePostgres?.url ?? serverUrl, templateName);
  const infrastructure = privatePostgres
    ? { ...chooseTestInfrastructure(), databaseUrl: privatePostgres.url, description: 'private PostgreSQL' }
    : chooseTestInfrastructure();
  await prepareDatabase(templateUrl);
  const surge = new Surge(infrastructure);
  try {
    await surge.start().catch((error: unknown) => {
      process.stderr.write(`${surge.recentProblems().join('\n')}\n`);
      throw error;
    });
    const client = new Client({ connectionString: surge.databaseUrl });
    await client.connect();
    const kafka = surge.kafka();
    const admin = kafka.admin();
    await admin.connect();
    try {
      const history = await surge.submitAll(surge.submitter(), REFERRALS, HISTORY);
      const historyDeadline = Date.now() + 120_000 + HISTORY * 50;
      while ((await surge.notifiedCount(client, history)) < HISTORY && Date.now() < historyDeadline)
        await new Promise((resolve) => setTimeout(resolve, 250));
      if (ANALYSED_HISTORY) await client.query('ANALYZE');
      process.stdout.write(
        `History: ${HISTORY} referrals through${ANALYSED_HISTORY ? ', the database analysed' : ''}\n`,
      );

      const before = await writeTransactions(client);
      const postgresWork = await PostgresWorkMeter.start(client);
      const cpuBefore = cpuSnapshot(surge.processes());
      const measuredFrom = monotonicMicroseconds();
      const groups = SERVICE_NAMES.map((name) => surge.groupOf(name));
      const began = Date.now();
      const submitter = surge.submitter();
      const submitting = surge.submitAll(submitter, 0, REFERRALS);
      let submitted: string[] | undefined;
      void submitting.then((ids) => (submitted = ids));
      let notified = 0;
      while (!submitted || notified < submitted.length) {
        if (Date.now() - began > TIMEOUT_MS) break;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        const ids = submitter.acknowledgements.map((ack) => ack.id);
        notified = await surge.notifiedCount(client, ids);
        const memory = Object.fromEntries(
          Object.entries(surge.processes()).map(([name, pid]) => [name, memoryOf(pid)?.rss ?? 0]),
        );
        const sample: Sample = {
          second: elapsedSeconds(began),
          submitted: ids.length,
          notified,
          lagByGroup: await consumerLag(admin, groups),
          rssMbByProcess: memory,
        };
        surge.samples.push(sample);
        process.stdout.write(
          `${sample.second}s submitted ${sample.submitted} notified ${notified} lag ${JSON.stringify(sample.lagByGroup)}\n`,
        );
      }
      await submitting.catch((error: unknown) => {
        process.stderr.write(`${surge.recentProblems().join('\n')}\n`);
        throw error;
      });
      const ids = submitter.acknowledgements.map((ack) => ack.id);
      if (CPU_PROFILE_DIR) writeProfileWindow(CPU_PROFILE_DIR, measuredFrom, monotonicMicroseconds());
      const after = await writeTransactions(client);
      const work = await postgresWork.read(client, ids.length);
      const { rows } = await client.query<{ last: Date }>(
        "SELECT max(updated_at) AS last FROM intake.referral WHERE status = 'notified' AND id = ANY($1::uuid[])",
        [ids],
      );
      const completedMs = (rows[0]?.last?.getTime() ?? Date.now()) - began;
      const cpuAfter = cpuSnapshot(surge.processes());
      const cpuMsPerReferral = Object.fromEntries(
        Object.entries(cpuAfter).map(([name, total]) => [
          name,
          round(((total - (cpuBefore[name] ?? 0)) * 1_000) / ids.length, 1),
        ]),
      );
      const peakMemoryMb = Object.fromEntries(
        Object.entries(surge.processes()).map(([name, pid]) => [name, memoryOf(pid)?.peak ?? 0]),
      );
      const stages = await stageLatencies(client, ids);
      const outcome = await outcomeOf(surge.databaseUrl, ids);
      const connections = POOL_SIZE * SERVICE_NAMES.length;
      process.stdout.write(`Measuring the PostgreSQL floor with ${connections} connections…\n`);
      const floor = await measurePostgresFloor(surge.databaseUrl, connections);
      const referralsPerSecond = round(ids.length / (completedMs / 1_000));
      const commitsPerReferral = round((after.xid - before.xid) / ids.length, 2);
      const intake = percentiles(submitter.acknowledgements.map((ack) => ack.latencyMs));
      const result: SurgeResult = {
        benchmark: 'surge',
        date: new Date().toISOString(),
        machine: {
          cores: os.cpus().length,
          node: process.version,
          loadAverage: os.loadavg(),
          postgres: await postgresServerSettings(client),
        },
        settings: {
          rate: RATE ?? 'as fast as possible',
          concurrency: CONCURRENCY,
          poolSize: POOL_SIZE,
          equalPriority: EQUAL_PRIORITY,
          catchUpApart: CATCH_UP_APART,
          postgres: POSTGRES,
          history: HISTORY,
          historyAnalysed: ANALYSED_HISTORY,
        },
        referrals: ids.length,
        referralsPerSecond,
        completedWithinSeconds: round(completedMs / 1_000),
        intakeP50Ms: intake.p50,
        intakeP90Ms: intake.p90,
        intakeP99Ms: intake.p99,
        intakeMaxMs: intake.max,
        intakeRetries: submitter.retries,
        stagesMs: stages,
        peakMemoryMb,
        cpuMsPerReferral,
        postgresFloorCommitsPerSecond: floor.commitsPerSecond,
        postgresConnections: connections,
        writeTransactionsPerReferral: commitsPerReferral,
        transactionsPerReferralIncludingReads: round((after.commits - before.commits) / ids.length, 2),
        ratioToFloor: round(referralsPerSecond / (floor.commitsPerSecond / commitsPerReferral), 2),
        postgresWalBytesPerReferral: work.walBytesPerReferral,
        postgresExecutionMsPerReferral: work.executionMsPerReferral,
        postgresStatementsPerReferral: work.statementsPerReferral,
        postgresPagesPerReferral: work.pagesPerReferral,
        postgresStatements: work.statements,
        lost: outcome.lost.length,
        duplicated: duplicatedCount(outcome),
        duplicatedByEffect: outcome.duplicated,
        targets: TARGETS,
        samples: surge.samples,
      };
      const chart = await renderChart(surge.samples);
      const markdown = report(result);
      const files = writeResults('surge', result, markdown, { 'surge-latest.png': chart });
      process.stdout.write(`\n${markdown}\n\nWrote ${files.join(', ')}\n`);
    } finally {
      await admin.disconnect();
      await client.end();
    }
  } finally {
    await surge.stop();
    if (privatePostgres) privatePostgres.stop();
    else await dropDatabase(templateUrl);
  }
}

/**
 * The server settings that move these figures. With autovacuum off (as on the CI machines here)
 * no table is analysed during a run, so every plan is made for tables as empty as at the start.
 */
/** The server settings reported with every run's figures, besides those `SURGE_POSTGRES_SETTINGS` gives. */
const SETTINGS_THAT_MOVE_FIGURES = [
  'server_version',
  'autovacuum',
  'shared_buffers',
  'synchronous_commit',
  'fsync',
  'max_wal_size',
];

async function postgresServerSettings(client: Client): Promise<Record<string, string>> {
  const { rows } = await client.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name`,
    [[...new Set([...SETTINGS_THAT_MOVE_FIGURES, ...Object.keys(POSTGRES_SETTINGS)])]],
  );
  return Object.fromEntries(rows.map(({ name, setting }) => [name, setting]));
}

/** A figure from pg_stat_statements, which only the bench's own server keeps. */
function keptFigure(value: number | null, unit = ''): string {
  return value === null ? 'not kept' : `${value}${unit}`;
}

function report(result: SurgeResult): string {
  const latency = (p: Percentiles) => `${p.p50} / ${p.p90} / ${p.p99} / ${p.max}`;
  return [
    `# Surge benchmark (${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores)`,
    '',
    `Submitted ${result.settings.rate === 'as fast as possible' ? `as fast as possible, ${result.settings.concurrency} at a time` : `at ${result.settings.rate}/s`}; ` +
      `${result.settings.poolSize} database connections per service; ` +
      (result.settings.catchUpApart
        ? 'the event consumers (routing, province, notifications, oversight) each in its own process, '
        : 'the event consumers (routing, province, notifications, oversight) in one process, ') +
      (result.settings.equalPriority
        ? 'every process at the same CPU priority.'
        : 'at a lower CPU priority than intake.') +
      (result.settings.historyAnalysed
        ? ` Before them, ${result.settings.history} referrals went through and the database was analysed.`
        : ` Before them, a warm-up of ${result.settings.history} referrals on a new database.`),
    '',
    `PostgreSQL (${result.settings.postgres === 'private' ? "a server of the run's own" : "the machine's server"}): ${Object.entries(
      result.machine.postgres,
    )
      .map(([name, value]) => `${name} ${value}`)
      .join(', ')}.`,
    '',
    markdownTable(
      ['figure', 'value', 'target'],
      [
        ['referrals', String(result.referrals), ''],
        [
          'end-to-end throughput',
          `${result.referralsPerSecond} referrals/s`,
          `≥ ${TARGETS.referralsPerSecond}`,
        ],
        [
          'all notified within',
          `${result.completedWithinSeconds} s`,
          `< ${TARGETS.completedWithinSeconds} s`,
        ],
        [
          'intake acknowledgement p50 / p90 / p99 / max',
          `${result.intakeP50Ms} / ${result.intakeP90Ms} / ${result.intakeP99Ms} / ${result.intakeMaxMs} ms`,
          `p99 < ${TARGETS.intakeP99Ms} ms at 100/s`,
        ],
        ...Object.entries(result.stagesMs).map(([stage, p]) => [
          `${stage} p50 / p90 / p99 / max`,
          `${latency(p)} ms`,
          '',
        ]),
        [
          'PostgreSQL floor (single-row commits/s)',
          `${result.postgresFloorCommitsPerSecond} with ${result.postgresConnections} connections`,
          '',
        ],
        ['write transactions per referral', String(result.writeTransactionsPerReferral), ''],
        ['ratio to floor', String(result.ratioToFloor), ''],
        ['PostgreSQL WAL per referral', `${result.postgresWalBytesPerReferral} bytes`, ''],
        [
          'PostgreSQL statement execution per referral',
          keptFigure(result.postgresExecutionMsPerReferral, ' ms'),
          '',
        ],
        ['PostgreSQL statements per referral', keptFigure(result.postgresStatementsPerReferral), ''],
        ['PostgreSQL buffer pages read per referral', keptFigure(result.postgresPagesPerReferral), ''],
        ['lost / duplicated', `${result.lost} / ${result.duplicated}`, '0 / 0'],
        ...Object.entries(result.peakMemoryMb).map(([name, mb]) => [`peak memory: ${name}`, `${mb} MB`, '']),
        ...Object.entries(result.cpuMsPerReferral).map(([name, ms]) => [
          `CPU per referral: ${name}`,
          `${ms} ms`,
          '',
        ]),
      ],
    ),
    ...statementTable(result.postgresStatements),
  ].join('\n');
}

/** Where PostgreSQL's time went, statement by statement (empty without pg_stat_statements). */
function statementTable(statements: PostgresWork['statements']): string[] {
  if (statements.length === 0) return [];
  return [
    '',
    "PostgreSQL's costliest statements, per referral:",
    '',
    markdownTable(
      ['statement', 'calls', 'ms', 'rows', 'pages', 'WAL bytes'],
      statements.map((cost) => [
        `\`${cost.statement.replace(/\|/g, '\\|')}…\``,
        String(cost.callsPerReferral),
        String(cost.msPerReferral),
        String(cost.rowsPerReferral),
        String(cost.pagesPerReferral),
        String(cost.walBytesPerReferral),
      ]),
    ),
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`Surge benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
