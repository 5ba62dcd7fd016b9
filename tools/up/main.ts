import 'reflect-metadata';
import * as path from 'node:path';
import { allTopics } from '@nrm/contracts';
import { DEVELOPMENT_ISSUER, SERVICE_NAMES } from '@nrm/config';
import { CATCH_UP_NICENESS, Deployable, ServiceProcess } from '@nrm/testing';
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
 * KAFKA_BROKERS names a cluster), starts intake, the four services behind it
 * in one process (apps/catch-up: on a machine of few cores one Node process
 * instead of four costs less CPU and memory, bench/README.md) and the web
 * console, prints their URLs and the demonstration accounts, and stops
 * everything on Ctrl-C.
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
  const deployables: Deployable[] = ['intake', 'catch-up'];
  const services = deployables.map(
    (deployable) =>
      new ServiceProcess({
        service: deployable,
        env: {
          KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '',
          OIDC_ISSUER: process.env.OIDC_ISSUER ?? '',
          MESSAGE_FOLDER: messages,
        },
        onLine: (line) => console.log(`${prefixOf(line, deployable)} ${line}`),
        niceness: CATCH_UP_NICENESS[deployable],
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
  for (const service of SERVICE_NAMES) {
    const url = services.find((running) => running.runs(service))?.urlOf(service) ?? '';
    console.log(`  ${service.padEnd(13)} ${url}  (API docs ${url}/docs, health ${url}/health)`);
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

/** Each line is marked with the service that logged it, in that service's colour. */
function prefixOf(line: string, deployable: Deployable): string {
  const service = SERVICE_NAMES.find((name) => line.includes(`"service":"${name}"`));
  const colour = service ? COLOURS[SERVICE_NAMES.indexOf(service) % COLOURS.length] : COLOURS[0];
  return `${colour}${(service ?? deployable).padEnd(13)}${RESET}`;
}

void main();
