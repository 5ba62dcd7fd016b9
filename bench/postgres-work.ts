import { Client } from 'pg';

/** Server settings that let a run see what each statement cost (PostgreSQL's own extension). */
export const STATEMENT_STATISTICS_SETTINGS = { shared_preload_libraries: 'pg_stat_statements' };

const STATEMENTS_LISTED = 12;
const STATEMENT_TEXT_LENGTH = 120;

/** What one kind of statement cost PostgreSQL for each referral of the run. */
export interface StatementCost {
  /** The statement as PostgreSQL normalises it: parameters as $1, $2…, never a value. */
  statement: string;
  callsPerReferral: number;
  msPerReferral: number;
  rowsPerReferral: number;
  /** Shared buffer pages the statement read (found in memory or not): a plan's cost that the machine's speed does not move. */
  pagesPerReferral: number;
  walBytesPerReferral: number;
}

/**
 * What PostgreSQL did for a run's referrals. WAL bytes depend on the code and
 * the data, not on how fast the machine is that day, so they compare runs on
 * different machines; execution times show where the server's time went.
 */
export interface PostgresWork {
  walBytesPerReferral: number;
  /** Null when the server was not started with pg_stat_statements. */
  executionMsPerReferral: number | null;
  /**
   * Statements the services sent (each a round trip, BEGIN and COMMIT included);
   * null as above. Like WAL, a count that does not move with the machine's speed.
   */
  statementsPerReferral: number | null;
  /**
   * Shared buffer pages the statements read; null as above. A plan that scans
   * a whole table where an index would find a few rows shows here first.
   */
  pagesPerReferral: number | null;
  statements: StatementCost[];
}

/** Measures PostgreSQL's work between `start` and `read`, over the whole server (every service's schema). */
export class PostgresWorkMeter {
  private constructor(
    private readonly walAtStart: string,
    private readonly statementsKept: boolean,
  ) {}

  static async start(client: Client): Promise<PostgresWorkMeter> {
    const { rows } = await client.query<{ preloaded: boolean }>(
      `SELECT current_setting('shared_preload_libraries') ~ 'pg_stat_statements' AS preloaded`,
    );
    const statementsKept = rows[0]?.preloaded === true;
    if (statementsKept) {
      await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await client.query('SELECT pg_stat_statements_reset()');
    }
    return new PostgresWorkMeter(await currentWal(client), statementsKept);
  }

  async read(client: Client, referrals: number): Promise<PostgresWork> {
    const { rows: wal } = await client.query<{ bytes: string }>(
      'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes',
      [this.walAtStart],
    );
    const walBytesPerReferral = Math.round(Number(wal[0]?.bytes) / referrals);
    if (!this.statementsKept)
      return {
        walBytesPerReferral,
        executionMsPerReferral: null,
        statementsPerReferral: null,
        pagesPerReferral: null,
        statements: [],
      };
    const { rows } = await client.query<{
      statement: string;
      calls: string;
      ms: number;
      rows: string;
      pages: string;
      walBytes: string;
    }>(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS statement, calls::text, total_exec_time AS ms,
              rows::text, (shared_blks_hit + shared_blks_read)::text AS pages, wal_bytes::text AS "walBytes"
         FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND query !~ 'pg_stat_statements'
        ORDER BY total_exec_time DESC`,
    );
    const perReferral = (value: string | number, digits: number) =>
      Math.round((Number(value) / referrals) * 10 ** digits) / 10 ** digits;
    return {
      walBytesPerReferral,
      executionMsPerReferral: perReferral(
        rows.reduce((total, row) => total + row.ms, 0),
        2,
      ),
      statementsPerReferral: perReferral(
        rows.reduce((total, row) => total + Number(row.calls), 0),
        1,
      ),
      pagesPerReferral: perReferral(
        rows.reduce((total, row) => total + Number(row.pages), 0),
        0,
      ),
      statements: rows.slice(0, STATEMENTS_LISTED).map((row) => ({
        statement: row.statement.slice(0, STATEMENT_TEXT_LENGTH),
        callsPerReferral: perReferral(row.calls, 3),
        msPerReferral: perReferral(row.ms, 3),
        rowsPerReferral: perReferral(row.rows, 2),
        pagesPerReferral: perReferral(row.pages, 1),
        walBytesPerReferral: perReferral(row.walBytes, 0),
      })),
    };
  }
}

async function currentWal(client: Client): Promise<string> {
  const { rows } = await client.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]?.lsn ?? '0/0';
}
