import 'reflect-metadata';
import { EventEnvelope, findContract } from '@nrm/contracts';
import { settingsSchema } from '@nrm/config';
import { validateAs } from '@nrm/messaging';
import { openDatabase, qualifiedTable } from '@nrm/persistence';
import { PrismaClient } from '../../apps/oversight/src/persistence/generated/client';
import {
  CaseProjector,
  PROJECTED_EVENTS,
  REBUILD_LOCK_SQL,
} from '../../apps/oversight/src/projection/case-projector';
import { PROJECTION_CONSUMER } from '../../apps/oversight/src/projection/projection.consumer';

/**
 * The services whose outboxes hold the events the read model is built from,
 * latest in a case's life first: the projection must not depend on order, and
 * every rebuild shows that it does not.
 */
const SOURCES = ['province', 'routing', 'intake'] as const;
const BATCH = 1_000;
/** A rebuild is one transaction: long, but readers keep the previous figures until it commits. */
const REBUILD_TIMEOUT_MS = 60 * 60_000;

const PROJECTED_TYPES = [...new Set(PROJECTED_EVENTS.map((contract) => contract.type))]
  .map((type) => `'${type}'`)
  .join(', ');

export interface RebuildReport {
  applied: Record<(typeof SOURCES)[number], number>;
  /** Outbox rows that are not a valid event of a known contract (the live consumer dead-letters those). */
  skipped: number;
}

/**
 * Empties the oversight read model and its inbox and builds it again from the
 * event history: every event intake, routing and province ever wrote to their
 * outboxes (never pruned), applied through the same projector as the live
 * consumer. It runs in one transaction holding the rebuild lock exclusively;
 * the consumer takes that lock shared for each event, so it waits and then
 * applies what arrived meanwhile, which the projection absorbs by event id.
 * Unpublished rows are read too: an event the consumer applied before its row
 * was marked published would otherwise be lost, and applying one twice is harmless.
 */
export async function rebuildOversight(url: string): Promise<RebuildReport> {
  const database = openDatabase({
    databaseUrl: url,
    databaseSchema: 'oversight',
    databasePoolSize: 1,
    databaseConnectionLifetimeSeconds: 0,
  });
  const db = new PrismaClient(database.prismaOptions);
  database.directSql.takeOverRawSql(db);
  const projector = new CaseProjector();
  const report: RebuildReport = { applied: { province: 0, routing: 0, intake: 0 }, skipped: 0 };
  try {
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${REBUILD_LOCK_SQL})`);
        for (const table of ['stage_interval', 'case_summary', 'case_event']) {
          await tx.$executeRawUnsafe(`DELETE FROM ${table}`);
        }
        await tx.$executeRawUnsafe('DELETE FROM inbox WHERE consumer = $1', PROJECTION_CONSUMER);
        for (const source of SOURCES) {
          let after = '0';
          for (;;) {
            const rows = await tx.$queryRawUnsafe<{ sequence: bigint; envelope: EventEnvelope }[]>(
              `SELECT sequence, envelope FROM ${qualifiedTable(source, 'outbox')}
                WHERE sequence > $1::bigint AND type IN (${PROJECTED_TYPES}) AND topic NOT LIKE '%.dlq'
                ORDER BY sequence LIMIT ${BATCH}`,
              after,
            );
            const valid: EventEnvelope[] = [];
            for (const { envelope } of rows) {
              if (isValidEvent(envelope)) valid.push(envelope);
            }
            await projector.apply(tx, valid);
            report.applied[source] += valid.length;
            report.skipped += rows.length - valid.length;
            if (rows.length < BATCH) break;
            after = String(rows[rows.length - 1].sequence);
          }
        }
      },
      { timeout: REBUILD_TIMEOUT_MS, maxWait: 60_000 },
    );
  } finally {
    await db.$disconnect();
  }
  return report;
}

/** The checks the live consumer makes before applying an event. */
function isValidEvent(envelope: EventEnvelope): boolean {
  const contract = findContract(envelope.type, envelope.version);
  if (!contract) return false;
  const problems = [
    ...validateAs(EventEnvelope, envelope),
    ...validateAs(contract.payload as new () => object, envelope.payload),
  ];
  return problems.length === 0;
}

/** `npm run rebuild:oversight`: rebuilds the supervisors' read model from the event history. */
async function main(): Promise<void> {
  const result = settingsSchema('oversight').validate(process.env, { allowUnknown: true, abortEarly: false });
  if (result.error) throw new Error(result.error.message);
  const { DATABASE_URL } = result.value as { DATABASE_URL: string };
  const report = await rebuildOversight(DATABASE_URL);
  console.log('Oversight read model rebuilt from the outboxes:');
  for (const [source, count] of Object.entries(report.applied)) console.log(`  ${source}: ${count} events`);
  if (report.skipped > 0) console.log(`  skipped (not a valid event): ${report.skipped}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
