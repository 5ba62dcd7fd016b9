import { SERVICE_NAMES } from '@nrm/config';
import {
  eventually,
  outcomeOf,
  Outcome,
  prepareDatabase,
  PrivatePostgres,
  PrivateRedis,
  ReferralSubmitter,
  TestSystem,
} from '@nrm/testing';
import { withDatabase } from '../../tools/db/database';
import { Mailbox } from '../mailbox';

const TEMPLATE = 'nrm_chaos_template';

/** The e-mail channel sends each delivery with the Message-ID `<delivery id@nrm-flow>`. */
const deliveryIdOf = (messageId: string) => messageId.replace(/^<|@.*$/g, '');
const CASE_WORKERS = [
  'case-worker-police-tak',
  'case-worker-labour-samut-sakhon',
  'case-worker-hotline-1300',
];

/**
 * The whole system on servers the suite may break: its own PostgreSQL and
 * Redis (restarting the machine's would break every other test), its own dev
 * broker with fault injection, and a real SMTP server counting every e-mail.
 * Each case's acceptance deadline is made short, so every deadline falls due
 * during the run and must fire exactly once whatever is broken meanwhile.
 */
export class ChaosSystem {
  readonly mailbox = new Mailbox();
  postgres!: PrivatePostgres;
  redis!: PrivateRedis;
  system!: TestSystem;
  submitter!: ReferralSubmitter;

  constructor(private readonly acceptanceSeconds: number) {}

  async start(): Promise<void> {
    // One after the other: if the second fails, `stop` still finds and removes the first.
    this.postgres = await PrivatePostgres.start();
    this.redis = await PrivateRedis.start();
    await prepareDatabase(withDatabase(this.postgres.url, TEMPLATE));
    await this.mailbox.start();
    this.system = new TestSystem(
      {
        SMTP_URL: `smtp://127.0.0.1:${this.mailbox.port}`,
        // Restarts must not wait for a whole default session timeout of the departed member.
        KAFKA_SESSION_TIMEOUT_MS: '6000',
        DEADLINE_RECONCILE_INTERVAL_MS: '5000',
      },
      {
        infrastructure: { databaseUrl: this.postgres.url, redisUrl: this.redis.url, description: 'chaos' },
        template: TEMPLATE,
      },
    );
    await this.system.start([...SERVICE_NAMES]);
    const policy = await this.system.request(
      'province',
      'PUT',
      '/admin/deadline-policies/provincial-acceptance',
      {
        amounts: [this.acceptanceSeconds],
        urgentAmounts: [this.acceptanceSeconds],
        unit: 'seconds',
        description: 'Short, so every deadline falls due during the chaos run',
      },
      'admin-1',
    );
    if (policy.status !== 200) throw new Error(`Setting the acceptance deadline answered ${policy.status}`);
    const tokens = await Promise.all(CASE_WORKERS.map((account) => this.system.tokenFor(account)));
    this.submitter = new ReferralSubmitter(
      () => this.system.url('intake'),
      tokens,
      `chaos-${this.system.queuePrefix}`,
    );
  }

  /** Resolves once every referral is notified (and, when asked, its acceptance deadline breached). */
  async untilThrough(ids: readonly string[], deadlinesBreached: boolean, timeoutMs: number): Promise<void> {
    await eventually(
      async () => {
        const outcome = await this.outcome(ids, deadlinesBreached);
        return outcome.lost.length === 0 ? true : undefined;
      },
      timeoutMs,
      500,
    );
  }

  outcome(ids: readonly string[], deadlinesBreached: boolean): Promise<Outcome> {
    return outcomeOf(this.system.databaseUrl, ids, { acceptanceDeadlinesBreached: deadlinesBreached });
  }

  /** E-mails that arrived more than once, per case: the delivery id travels as the Message-ID. */
  async repeatedMails(ids: readonly string[]): Promise<number> {
    const received = new Map<string, number>();
    for (const mail of this.mailbox.mails)
      received.set(mail.messageId, (received.get(mail.messageId) ?? 0) + 1);
    const repeated = [...received].filter(([, count]) => count > 1);
    if (repeated.length === 0) return 0;
    const rows = await this.system.sql<{ id: string }>(
      `SELECT delivery.id::text AS id FROM notifications.delivery delivery
         JOIN notifications.notice notice ON notice.id = delivery.notice_id
        WHERE notice.case_id = ANY($1::uuid[])`,
      [ids],
    );
    const ofTheseCases = new Set(rows.map((row) => row.id));
    return repeated
      .filter(([messageId]) => ofTheseCases.has(deliveryIdOf(messageId)))
      .reduce((sum, [, count]) => sum + count - 1, 0);
  }

  async deadLetters(): Promise<{ service: string; value: string; reason: string }[]> {
    const rows: { service: string; value: string; reason: string }[] = [];
    for (const service of SERVICE_NAMES)
      rows.push(
        ...(await this.system.sql<{ service: string; value: string; reason: string }>(
          `SELECT '${service}' AS service, value, reason FROM ${service}.dead_letter`,
        )),
      );
    return rows;
  }

  async stop(): Promise<void> {
    await this.system?.stop();
    await this.mailbox.stop();
    await this.redis?.stop();
    this.postgres?.stop();
  }
}
