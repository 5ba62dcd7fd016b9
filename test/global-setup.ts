import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { dropDatabase, migrate, REPOSITORY_ROOT } from '../tools/db/database';
// Imported by path: jest's module aliases do not apply to global setup.
import { chooseTestInfrastructure, templateDatabase } from '../libs/testing/src/infrastructure';

function templateUrl(): string {
  const url = new URL(chooseTestInfrastructure().databaseUrl);
  url.pathname = `/${templateDatabase()}`;
  return url.toString();
}

/**
 * Migrates and seeds one template database per run; each test file copies it
 * (fast) into its own database. Seeding runs from the build, like the services
 * under test, because jest's module aliases do not apply here.
 */
export default async function globalSetup(): Promise<void> {
  process.stdout.write(`\nTests use: ${chooseTestInfrastructure().description}\n`);
  await dropDatabase(templateUrl());
  await migrate(templateUrl());
  execFileSync(process.execPath, [path.join(REPOSITORY_ROOT, 'dist', 'tools', 'db', 'seed-command.js')], {
    env: { ...process.env, DATABASE_URL: templateUrl() },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function globalTeardown(): Promise<void> {
  await dropDatabase(templateUrl());
}
