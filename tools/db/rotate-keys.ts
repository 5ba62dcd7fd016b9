import 'reflect-metadata';
import { Client } from 'pg';
import { settingsSchema } from '@nrm/config';
import { FieldCipher, keyIdOf } from '@nrm/persistence';
import { DocumentFingerprint } from '../../apps/intake/src/referrals/duplicates';

/** Every encrypted column, by table; the referral's identity also derives its document fingerprint. */
const ENCRYPTED_COLUMNS = [
  { table: 'intake.referral', column: 'identity_ciphertext', fingerprint: true },
  { table: 'intake.referral', column: 'withdrawal_ciphertext', fingerprint: false },
  { table: 'intake.referral_draft', column: 'ciphertext', fingerprint: false },
  { table: 'notifications.webhook_endpoint', column: 'secret', fingerprint: false },
] as const;

const BATCH = 500;

/**
 * Re-encrypts every encrypted value not yet under the current key, in batches
 * of one transaction each, and recomputes the document fingerprints (keyed
 * from the same key). Safe to stop and run again: it continues where it was.
 * Returns how many values were rewritten per column.
 */
export async function rotateFieldEncryption(
  url: string,
  keys: { current: Buffer; previous: readonly Buffer[] },
): Promise<Record<string, number>> {
  const cipher = new FieldCipher(keys.current, keys.previous);
  const fingerprint = new DocumentFingerprint(keys.current);
  const prefix = `v2.${keyIdOf(keys.current)}.%`;
  const client = new Client({ connectionString: url });
  await client.connect();
  const rewritten: Record<string, number> = {};
  try {
    for (const { table, column, fingerprint: withFingerprint } of ENCRYPTED_COLUMNS) {
      rewritten[`${table}.${column}`] = 0;
      for (;;) {
        await client.query('BEGIN');
        const { rows } = await client.query<{ id: string; stored: string }>(
          `SELECT id, ${column} AS stored FROM ${table}
            WHERE ${column} IS NOT NULL AND ${column} NOT LIKE $1 LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [prefix],
        );
        for (const row of rows) {
          const value = cipher.decrypt<{ identity?: { documentNumber?: string } }>(row.stored);
          const fingerprintUpdate = withFingerprint ? ', document_hmac = $3' : '';
          await client.query(`UPDATE ${table} SET ${column} = $2${fingerprintUpdate} WHERE id = $1`, [
            row.id,
            cipher.encrypt(value),
            ...(withFingerprint ? [fingerprint.of(value.identity?.documentNumber)] : []),
          ]);
        }
        await client.query('COMMIT');
        rewritten[`${table}.${column}`] += rows.length;
        if (rows.length < BATCH) break;
      }
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return rewritten;
}

/**
 * `npm run rotate-keys`: with FIELD_ENCRYPTION_KEY set to the new key and the
 * old one in FIELD_ENCRYPTION_PREVIOUS_KEYS (as the services run meanwhile),
 * re-encrypts everything; afterwards the old key can be dropped.
 */
async function main(): Promise<void> {
  const result = settingsSchema('intake').validate(process.env, { allowUnknown: true, abortEarly: false });
  if (result.error) throw new Error(result.error.message);
  const settings = result.value as {
    DATABASE_URL: string;
    FIELD_ENCRYPTION_KEY: string;
    FIELD_ENCRYPTION_PREVIOUS_KEYS: string;
  };
  const key = Buffer.from(settings.FIELD_ENCRYPTION_KEY, 'base64');
  const previous = settings.FIELD_ENCRYPTION_PREVIOUS_KEYS.split(',')
    .filter((entry) => entry.length > 0)
    .map((entry) => Buffer.from(entry, 'base64'));
  const rewritten = await rotateFieldEncryption(settings.DATABASE_URL, { current: key, previous });
  console.log(`Re-encrypted with key ${keyIdOf(key)}:`);
  for (const [column, count] of Object.entries(rewritten)) console.log(`  ${column}: ${count}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
