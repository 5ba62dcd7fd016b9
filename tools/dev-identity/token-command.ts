import * as path from 'node:path';
import { DEVELOPMENT_ISSUER } from '@nrm/config';
import { REPOSITORY_ROOT } from '../db/database';
import { demoAccount } from './demo-accounts';
import { DevIdentity } from './dev-identity';

export const DEV_IDENTITY_KEY_FILE = path.join(REPOSITORY_ROOT, '.run', 'dev-identity', 'signing-key.json');

/** `npm run token -- <account id or role>`: prints a bearer token for a demonstration account. */
async function main(): Promise<void> {
  const wanted = process.argv[2];
  if (!wanted) {
    console.error(
      'Usage: npm run -s token -- <account id or role>   (e.g. coordinator, coordinator-bkk-1, admin)',
    );
    process.exit(2);
  }
  const identity = await DevIdentity.persistent(
    DEV_IDENTITY_KEY_FILE,
    process.env.OIDC_ISSUER ?? DEVELOPMENT_ISSUER,
  );
  console.log(await identity.token(demoAccount(wanted)));
}

if (require.main === module) void main();
