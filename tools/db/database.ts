import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';

function repositoryRoot(start: string): string {
  let directory = start;
  while (!existsSync(path.join(directory, 'package.json'))) {
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('Cannot find the repository root');
    directory = parent;
  }
  return directory;
}

/** Works from source (tests) and from the compiled build alike. */
export const REPOSITORY_ROOT = repositoryRoot(__dirname);

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseNameOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Creates the database if it is missing, optionally as a copy of a template database. */
export async function ensureDatabase(url: string, template?: string): Promise<boolean> {
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const name = databaseNameOf(url);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    const quoted = `"${name.replace(/"/g, '""')}"`;
    await admin.query(
      template
        ? `CREATE DATABASE ${quoted} TEMPLATE "${template.replace(/"/g, '""')}"`
        : `CREATE DATABASE ${quoted}`,
    );
    return true;
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${databaseNameOf(url).replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Each folder of prisma/ with a schema.prisma is one service's schema. */
function serviceSchemas(): string[] {
  const root = path.join(REPOSITORY_ROOT, 'prisma');
  return readdirSync(root).filter((name) => existsSync(path.join(root, name, 'schema.prisma')));
}

/** Applies every service's committed migrations, each into its own schema. */
export async function migrate(url: string): Promise<void> {
  await ensureDatabase(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const service of serviceSchemas()) await client.query(`CREATE SCHEMA IF NOT EXISTS "${service}"`);
  } finally {
    await client.end();
  }
  execFileSync('bash', [path.join(REPOSITORY_ROOT, 'tools', 'prisma.sh'), 'migrate', 'deploy'], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await applyAppendOnlyAudit(url);
}

/** Makes every service's audit trail append-only in PostgreSQL (see prisma/shared/audit-append-only.sql). */
async function applyAppendOnlyAudit(url: string): Promise<void> {
  const sql = readFileSync(path.join(REPOSITORY_ROOT, 'prisma', 'shared', 'audit-append-only.sql'), 'utf8');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const service of serviceSchemas()) {
      await client.query('BEGIN');
      await client.query(`SET LOCAL search_path TO "${service}"`);
      await client.query(sql);
      await client.query('COMMIT');
    }
  } finally {
    await client.end();
  }
}
