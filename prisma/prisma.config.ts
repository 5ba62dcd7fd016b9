import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// One config for every service: PRISMA_SERVICE picks the schema folder, the
// migrations and the PostgreSQL schema. The WASM schema engine ("js") is used
// because these machines cannot download Prisma's native engines.
const service = process.env.PRISMA_SERVICE ?? 'intake';
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm';
// The schema's datasource must name an env var, or the CLI looks for native engines.
process.env.DATABASE_URL = databaseUrl;

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: service,
  migrations: { path: `${service}/migrations` },
  // search_path puts the migrations' unqualified tables into the service's schema.
  adapter: () =>
    Promise.resolve(
      new PrismaPg(
        { connectionString: databaseUrl, options: `-c search_path=${service}` },
        { schema: service },
      ),
    ),
});
