import { dropDatabase, migrate } from '../tools/db/database';
// Imported by path: jest's module aliases do not apply to global setup.
import { chooseTestInfrastructure, TEMPLATE_DATABASE } from '../libs/testing/src/infrastructure';

/** Migrates one template database per run; each test file copies it (fast) into its own database. */
export default async function globalSetup(): Promise<void> {
  const infrastructure = chooseTestInfrastructure();
  process.stdout.write(`\nTests use: ${infrastructure.description}\n`);
  const template = new URL(infrastructure.databaseUrl);
  template.pathname = `/${TEMPLATE_DATABASE}`;
  await dropDatabase(template.toString());
  await migrate(template.toString());
}
