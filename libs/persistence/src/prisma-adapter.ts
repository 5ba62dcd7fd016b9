import { PrismaPg } from '@prisma/adapter-pg';

export interface DatabaseOptions {
  url: string;
  schema: string;
  poolSize: number;
}

/**
 * Prisma runs here on its WASM query compiler through the pg driver adapter:
 * no native engine is downloaded. `search_path` makes raw SQL and the
 * migrations land in the service's own schema.
 */
export function createPrismaAdapter(options: DatabaseOptions): PrismaPg {
  return new PrismaPg(
    {
      connectionString: options.url,
      max: options.poolSize,
      options: `-c search_path=${options.schema}`,
      connectionTimeoutMillis: 5_000,
    },
    { schema: options.schema },
  );
}
