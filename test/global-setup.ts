import { dropDatabase } from '../tools/db/database';
// Imported by path: jest's module aliases do not apply to global setup.
import {
  chooseTestInfrastructure,
  prepareDatabase,
  templateDatabase,
} from '../libs/testing/src/infrastructure';

function templateUrl(): string {
  const url = new URL(chooseTestInfrastructure().databaseUrl);
  url.pathname = `/${templateDatabase()}`;
  return url.toString();
}

/** Migrates and seeds one template database per run; each test file copies it (fast) into its own database. */
export default async function globalSetup(): Promise<void> {
  process.stdout.write(`\nTests use: ${chooseTestInfrastructure().description}\n`);
  await prepareDatabase(templateUrl());
}

export async function globalTeardown(): Promise<void> {
  await dropDatabase(templateUrl());
}
