import 'reflect-metadata';
import * as path from 'node:path';
import { allTopics } from '@nrm/contracts';
import { DEVELOPMENT_ISSUER, SERVICE_NAMES } from '@nrm/config';
import { CATCH_UP_NICENESS, ServiceProcess } from '@nrm/testing';
import { migrate, REPOSITORY_ROOT } from '../db/database';
import { seed } from '../db/seed';
import { DevBroker, startDevBroker } from '../kafka-dev-broker/dev-broker';
import { demoAccounts } from '../dev-identity/demo-accounts';
import { DevIdentity } from '../dev-identity/dev-identity';
import { DEV_IDENTITY_KEY_FILE } from '../dev-identity/token-command';

const COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];
const RESET = '\x1b[0m';
const CONSOLE_COLOUR = '\x1b[31m';

/**
 * `npm run up`: migrates the database, starts the Kafka dev broker (unless
 * KAFKA_BROKERS names a cluster), starts the services and the web console as
 * separate processes, prints their URLs and the demonstration accounts, and
 * stops everything on Ctrl-C.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm';
  process.env.DATABASE_URL = databaseUrl;
  console.log(`Migrating ${new URL(databaseUrl).pathname.slice(1)} ...`);
  await migrate(databaseUrl);
  await seed(databaseUrl);

  let broker: DevBroker | null = null;
  if (!process.env.KAFKA_BROKERS) {
    broker = await startDevBroker({
      topics: allTopics(),
      binaryPath: path.join(REPOSITORY_ROOT, 'tools', 'kafka-dev-broker', 'bin', 'kafka-dev-broker'),
      stdio: 'ignore',
    });
    process.env.KAFKA_BROKERS = broker.bootstrap;
    console.log(`Kafka dev broker (librdkafka mock cluster, in memory): ${broker.bootstrap}`);
  }

  let identity: DevIdentity | null = null;
  if (!process.env.OIDC_ISSUER) {
    identity = await DevIdentity.persistent(DEV_IDENTITY_KEY_FILE, DEVELOPMENT_ISSUER);
    await identity.listen(Number(new URL(DEVELOPMENT_ISSUER).port));
    process.env.OIDC_ISSUER = identity.issuer;
    console.log(
      `Development identity provider (OpenID Connect discovery, JWKS and sign-in): ${identity.issuer}`,
    );
  }

  const messages = path.resolve(process.env.MESSAGE_FOLDER ?? path.join(REPOSITORY_ROOT, '.run', 'messages'));
  const services = SERVICE_NAMES.map(
    (service, index) =>
      new ServiceProcess({
        service,
        env: {
          KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
          OIDC_ISSUER: process.env.OIDC_ISSUER ?? '',
          MESSAGE_FOLDER: messages,
        },
        onLine: (line) =>
          console.log(`${COLOURS[index % COLOURS.length]}${service.padEnd(13)}${RESET} ${line}`),
        niceness: CATCH_UP_NICENESS[service],
      }),
  );

  const consoleProcess = new ServiceProcess({
    service: 'console',
    env: { OIDC_ISSUER: process.env.OIDC_ISSUER ?? '' },
    onLine: (line) => console.log(`${CONSOLE_COLOUR}${'console'.padEnd(13)}${RESET} ${line}`),
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping nrm-flow ...');
    await consoleProcess.stop();
    await Promise.all(services.map((service) => service.stop()));
    await broker?.stop();
    await identity?.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    await Promise.all(services.map((service) => service.start()));
    await consoleProcess.start();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stop(1);
    return;
  }
  console.log('\nnrm-flow is running:');
  for (const service of services) {
    console.log(
      `  ${service.service.padEnd(13)} ${service.url}  (API docs ${service.url}/docs, health ${service.url}/health)`,
    );
  }
  console.log(`\nWeb console: ${consoleProcess.url}  (sign in as one of these demonstration accounts)`);
  for (const account of demoAccounts()) {
    const scope = account.provinceCode ?? account.organisationId ?? '';
    console.log(`  ${account.role.padEnd(20)} ${account.id}${scope ? `  (${scope})` : ''}`);
  }
  console.log(
    `\nWith no SMTP server, SMS gateway or LINE token configured, messages are written to ${messages}/{email,sms,line}.`,
  );
  console.log(
    '\nEvery endpoint but /health needs a bearer token; `npm run -s token -- <role or account>` prints one for a demo account.',
  );
  console.log(
    '\nTry: curl -s -X POST http://localhost:3001/referrals -H "Content-Type: application/json" -H "Authorization: Bearer $(npm run -s token -- case-worker)" -d @examples/referral.json',
  );
  console.log('Press Ctrl-C to stop.');
}

void main();
