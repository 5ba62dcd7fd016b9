import { seed } from './seed';

const url = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/nrm';

seed(url).then(
  () => process.stdout.write('Reference data seeded\n'),
  (error: unknown) => {
    process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
