import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { dropDatabase, migrate, REPOSITORY_ROOT } from '../../../tools/db/database';

/**
 * Migrated once per test run (named after the run, so concurrent runs do not
 * drop each other's); each test file's database is a copy of it.
 */
export function templateDatabase(): string {
  process.env.NRM_TEST_TEMPLATE_DATABASE ??= `nrm_test_template_${process.pid}`;
  return process.env.NRM_TEST_TEMPLATE_DATABASE;
}

export interface TestInfrastructure {
  databaseUrl: string;
  redisUrl: string;
  /** Set when the tests must use an existing Kafka cluster instead of starting dev brokers. */
  kafkaBrokers?: string;
  description: string;
}

function dockerAnswers(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Which PostgreSQL, Redis and Kafka the tests use: services named by
 * TEST_DATABASE_URL / TEST_REDIS_URL / TEST_KAFKA_BROKERS when set, else the
 * machine's local PostgreSQL and Redis and a dev broker per test file. Tests
 * create their own databases, queue prefixes and brokers, so they never touch
 * the data of a running `npm run up`.
 */
export function chooseTestInfrastructure(): TestInfrastructure {
  const databaseUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const kafkaBrokers = process.env.TEST_KAFKA_BROKERS;
  const named = [process.env.TEST_DATABASE_URL, process.env.TEST_REDIS_URL, kafkaBrokers].some(Boolean);
  const docker = dockerAnswers();
  const description = named
    ? 'services named by TEST_* environment variables'
    : `local PostgreSQL and Redis, librdkafka dev brokers${docker ? '' : ' (no Docker engine answers, so no containers)'}`;
  return { databaseUrl, redisUrl, ...(kafkaBrokers ? { kafkaBrokers } : {}), description };
}

/**
 * A fresh database with every migration and the reference data: the template
 * test files copy. Seeding runs from the build, like the services under test.
 */
export async function prepareDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await migrate(url);
  execFileSync(process.execPath, [path.join(REPOSITORY_ROOT, 'dist', 'tools', 'db', 'seed-command.js')], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
