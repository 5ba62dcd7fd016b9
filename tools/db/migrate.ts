import { migrate } from './database';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm';

migrate(url).then(
  () => process.stdout.write('Database migrated\n'),
  (error: unknown) => {
    process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
