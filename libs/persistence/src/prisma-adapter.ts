import { PrismaPg } from '@prisma/adapter-pg';
import { PreparedStatementNames } from './prepared-statements';

export interface DatabaseOptions {
  url: string;
  schema: string;
  poolSize: number;
}

/**
 * Prisma runs here on its WASM query compiler through the pg driver adapter:
 * no native engine is downloaded. `search_path` makes raw SQL and the
 * migrations land in the service's own schema. Repeated statements are
 * prepared once per connection (PreparedStatementNames).
 */
export function createPrismaAdapter(options: DatabaseOptions): PrismaPg {
  const statements = new PreparedStatementNames();
  return new PrismaPg(
    {
      connectionString: options.url,
      max: options.poolSize,
      options: `-c search_path=${options.schema}`,
      connectionTimeoutMillis: 5_000,
    },
    { schema: options.schema, statementNameGenerator: (query) => statements.nameOf(query.sql) },
  );
}

/** The settings a service's Prisma client is built from. */
export interface DatabaseSettings {
  databaseUrl: string;
  databaseSchema: string;
  databasePoolSize: number;
}

/** Options for a service's generated PrismaClient: its own schema, over the pg adapter. */
export function prismaClientOptions(settings: DatabaseSettings) {
  return {
    // Under a surge requests queue for a pooled connection: wait for one rather than fail fast.
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
    adapter: createPrismaAdapter({
      url: settings.databaseUrl,
      schema: settings.databaseSchema,
      poolSize: settings.databasePoolSize,
    }),
  };
}
