import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { allTopics } from '@nrm/contracts';
import { CATCH_UP_SERVICES, ServiceName } from '@nrm/config';
import { DevBroker, startDevBroker } from '../../../tools/kafka-dev-broker/dev-broker';
import { AccountClaims, demoAccount } from '../../../tools/dev-identity/demo-accounts';
import { DevIdentity } from '../../../tools/dev-identity/dev-identity';
import { dropDatabase, ensureDatabase } from '../../../tools/db/database';
import { chooseTestInfrastructure, TestInfrastructure, templateDatabase } from './infrastructure';
import { dropQueueKeys } from './queue-keys';
import { CATCH_UP_NICENESS, Deployable, ServiceProcess } from './service-process';

/**
 * A whole nrm-flow for one test file: its own database (copied from the
 * migrated template), its own dev broker, its own queue prefix, and the
 * services as separate processes on free ports (or the four that work off
 * events in one, as `npm run up` runs them).
 */
export class TestSystem {
  /** The process that runs each service. */
  readonly services = new Map<ServiceName, ServiceProcess>();
  readonly logs: string[] = [];
  private consoleProcess: ServiceProcess | null = null;
  private broker: DevBroker | null = null;
  private identity: DevIdentity | null = null;
  private readonly id = randomBytes(4).toString('hex');
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix = `nrm-test-${this.id}`;
  /** Where the development channel adapters write messages (e-mail without SMTP, SMS, LINE). */
  readonly messageFolder = path.join(os.tmpdir(), `nrm-test-messages-${this.id}`);
  kafkaBrokers = '';
  private readonly template: string;
  private readonly niceness: typeof CATCH_UP_NICENESS;
  private readonly nodeArguments: (deployable: Deployable) => string[];
  private readonly catchUpTogether: boolean;

  /**
   * `infrastructure` names other servers than the run's (the chaos suite's
   * private ones), `template` a database prepared there to copy, and
   * `niceness` the services that run at a lower CPU priority,
   * `nodeArguments` what each process's Node starts with, and
   * `catchUpTogether` runs the four services that work off events in one
   * process (apps/catch-up) rather than one each.
   */
  constructor(
    private readonly extraEnv: Record<string, string> = {},
    options: {
      infrastructure?: TestInfrastructure;
      template?: string;
      niceness?: typeof CATCH_UP_NICENESS;
      nodeArguments?: (deployable: Deployable) => string[];
      catchUpTogether?: boolean;
    } = {},
  ) {
    this.niceness = options.niceness ?? {};
    this.nodeArguments = options.nodeArguments ?? (() => []);
    this.catchUpTogether = options.catchUpTogether ?? false;
    const infrastructure = options.infrastructure ?? chooseTestInfrastructure();
    this.template = options.template ?? templateDatabase();
    const url = new URL(infrastructure.databaseUrl);
    url.pathname = `/nrm_test_${this.id}`;
    this.databaseUrl = url.toString();
    this.redisUrl = infrastructure.redisUrl;
    if (infrastructure.kafkaBrokers) this.kafkaBrokers = infrastructure.kafkaBrokers;
  }

  get devBroker(): DevBroker {
    if (!this.broker) throw new Error('This test system uses an external Kafka cluster');
    return this.broker;
  }

  async start(services: ServiceName[]): Promise<void> {
    await ensureDatabase(this.databaseUrl, this.template);
    this.identity = await DevIdentity.generate();
    await this.identity.listen(0);
    if (!this.kafkaBrokers) {
      this.broker = await startDevBroker({ topics: allTopics(), brokers: 3 });
      this.kafkaBrokers = this.broker.bootstrap;
    }
    const catchUp = new Set<ServiceName>(this.catchUpTogether ? CATCH_UP_SERVICES : []);
    const deployables = new Set<Deployable>(
      services.map((service) => (catchUp.has(service) ? 'catch-up' : service)),
    );
    for (const deployable of deployables) {
      const process = new ServiceProcess({
        service: deployable,
        port: 0,
        env: this.env(),
        onLine: (line) => this.logs.push(line),
        niceness: this.niceness[deployable],
        nodeArguments: this.nodeArguments(deployable),
      });
      for (const service of services) if (process.runs(service)) this.services.set(service, process);
    }
    await Promise.all(this.processes().map((process) => process.start()));
  }

  /** Every service process, each once. */
  private processes(): ServiceProcess[] {
    return [...new Set(this.services.values())];
  }

  /**
   * The web console over the services started, signing in through this
   * system's identity provider (its account-picking page).
   */
  async startConsole(): Promise<ServiceProcess> {
    const backends = Object.fromEntries(
      [...this.services.entries()].map(([service, running]) => [
        `${service.toUpperCase()}_URL`,
        running.urlOf(service),
      ]),
    );
    this.consoleProcess = new ServiceProcess({
      service: 'console',
      port: 0,
      env: { ...this.env(), ...backends, CONSOLE_SESSION_SECRET: randomBytes(32).toString('hex') },
      onLine: (line) => this.logs.push(line),
    });
    await this.consoleProcess.start();
    return this.consoleProcess;
  }

  /** The process that runs a service: stopping it stops every service it runs. */
  service(name: ServiceName): ServiceProcess {
    const found = this.services.get(name);
    if (!found) throw new Error(`${name} is not part of this test system`);
    return found;
  }

  url(service: ServiceName): string {
    return this.service(service).urlOf(service);
  }

  env(): Record<string, string> {
    return {
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATABASE_URL: this.databaseUrl,
      DATABASE_POOL_SIZE: '5',
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      KAFKA_BROKERS: this.kafkaBrokers,
      KAFKA_GROUP_PREFIX: this.queuePrefix,
      OUTBOX_POLL_INTERVAL_MS: '100',
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      CONSUMER_RETRY_INITIAL_MS: '50',
      MESSAGE_FOLDER: this.messageFolder,
      RATE_LIMIT_PER_MINUTE: '1000000',
      ...(this.identity ? { OIDC_ISSUER: this.identity.issuer } : {}),
      ...this.extraEnv,
    };
  }

  /** A bearer token for a demonstration account (by id or role), or for any account's claims. */
  async tokenFor(account: string | AccountClaims): Promise<string> {
    if (!this.identity) throw new Error('The test system is not started');
    return this.identity.token(typeof account === 'string' ? demoAccount(account) : account);
  }

  /** The Authorization header of an account. */
  async as(account: string | AccountClaims): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.tokenFor(account)}` };
  }

  /**
   * A JSON request to one of the services as an account (a demonstration
   * account's id or role, or any claims); the body of a 204 is undefined.
   */
  async request<T>(
    service: ServiceName,
    method: string,
    path: string,
    body?: object,
    account?: string | AccountClaims,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.url(service)}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(account ? await this.as(account) : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return {
      status: response.status,
      body: (response.status === 204 ? undefined : await response.json()) as T,
    };
  }

  async sql<T extends Record<string, unknown>>(query: string, values: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(query, values)).rows;
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await this.consoleProcess?.stop();
    await Promise.all(this.processes().map((process) => process.stop()));
    await this.broker?.stop();
    await this.identity?.close();
    await dropDatabase(this.databaseUrl);
    await dropQueueKeys(this.redisUrl, this.queuePrefix);
    await rm(this.messageFolder, { recursive: true, force: true });
  }
}

export interface InboxEntry {
  id: string;
  kind: string;
  caseId: string | null;
  caseReference: string | null;
  title: string;
  link: string;
  urgent: boolean;
  read: boolean;
}

/** An account's in-app inbox, as the notifications service shows it to that account. */
export async function inboxOf(
  system: TestSystem,
  accountId: string,
): Promise<{ unread: number; items: InboxEntry[] }> {
  const { status, body } = await system.request<{ unread: number; items: InboxEntry[] }>(
    'notifications',
    'GET',
    '/inbox?limit=500',
    undefined,
    accountId,
  );
  if (status !== 200) throw new Error(`The inbox of ${accountId} answered ${status}`);
  return body;
}

/** Polls until `probe` returns a value, or fails with the last reason after `timeoutMs`. */
export async function eventually<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`,
  );
}
