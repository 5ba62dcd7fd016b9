import { Logger } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { DirectSql, TransactionAwarePool } from './direct-sql';
import { PreparedStatementNames } from './prepared-statements';

export interface DatabaseOptions {
  url: string;
  schema: string;
  poolSize: number;
  connectionLifetimeSeconds: number;
}

const logger = new Logger('Database');

/**
 * A pool on the service's own schema: `search_path` makes raw SQL and the
 * migrations land there.
 *
 * Each connection is replaced once it has served `connectionLifetimeSeconds`
 * (when it is next idle, never inside a transaction): a prepared statement
 * keeps the plan its connection made for the tables as they were, until the
 * tables are analysed again. On a new deployment's nearly empty tables that is a
 * sequential scan, kept while a surge grows them a hundredfold. A new
 * connection costs about 10 ms of CPU; its statements are planned for the
 * tables as they are.
 */
function createPool(options: DatabaseOptions): TransactionAwarePool {
  const pool = new TransactionAwarePool({
    connectionString: options.url,
    max: options.poolSize,
    options: `-c search_path=${options.schema}`,
    connectionTimeoutMillis: 5_000,
    maxLifetimeSeconds: options.connectionLifetimeSeconds,
  });
  // An idle connection the server closed (a restart) is dropped by the pool; without a listener
  // its error would end the process, and raw SQL may use the pool before Prisma adds its own.
  pool.on('error', (error) => logger.warn(`An idle database connection closed: ${error.message}`));
  return pool;
}

/**
 * Prisma runs here on its WASM query compiler through the pg driver adapter:
 * no native engine is downloaded. Repeated statements are prepared once per
 * connection (PreparedStatementNames).
 */
export function createPrismaAdapter(
  options: DatabaseOptions,
  pool: Pool = createPool(options),
  statements = new PreparedStatementNames(),
): PrismaPg {
  return new PrismaPg(pool, {
    schema: options.schema,
    statementNameGenerator: (query) => statements.nameOf(query.sql),
    disposeExternalPool: true,
  });
}

/** The settings a service's Prisma client is built from. */
export interface DatabaseSettings {
  databaseUrl: string;
  databaseSchema: string;
  databasePoolSize: number;
  databaseConnectionLifetimeSeconds: number;
}

/** How long an interactive transaction may run. */
const TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * A service's database: one pool for its schema, shared by its Prisma client
 * (`prismaOptions`) and by the raw SQL that `directSql` sends straight to pg.
 */
export function openDatabase(settings: DatabaseSettings) {
  const options = {
    url: settings.databaseUrl,
    schema: settings.databaseSchema,
    poolSize: settings.databasePoolSize,
    connectionLifetimeSeconds: settings.databaseConnectionLifetimeSeconds,
  };
  const pool = createPool(options);
  const statements = new PreparedStatementNames();
  return {
    prismaOptions: {
      // Under a surge requests queue for a pooled connection: wait for one rather than fail fast.
      transactionOptions: { maxWait: 10_000, timeout: TRANSACTION_TIMEOUT_MS },
      adapter: createPrismaAdapter(options, pool, statements),
    },
    directSql: new DirectSql(pool, statements, TRANSACTION_TIMEOUT_MS),
  };
}
