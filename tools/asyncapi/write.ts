import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { format, resolveConfig } from 'prettier';
import { asyncApiDocument } from '@nrm/contracts';
import { REPOSITORY_ROOT } from '../db/database';

const DOCUMENT = path.join(REPOSITORY_ROOT, 'docs', 'asyncapi.json');

/** `npm run asyncapi`: writes docs/asyncapi.json from the contracts registry (a unit test fails while it is stale). */
async function main(): Promise<void> {
  const text = await format(JSON.stringify(asyncApiDocument()), {
    ...(await resolveConfig(DOCUMENT)),
    filepath: DOCUMENT,
  });
  await writeFile(DOCUMENT, text);
  console.log(`Wrote ${path.relative(process.cwd(), DOCUMENT)}`);
}

if (require.main === module) void main();
