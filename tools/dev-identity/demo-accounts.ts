import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPOSITORY_ROOT } from '../db/database';

/** What a token says about an account. */
export interface AccountClaims {
  id: string;
  role: string;
  provinceCode?: string;
  organisationId?: string;
}

let accounts: AccountClaims[] | undefined;

/** The demonstration accounts seeded from data/directory/users.json. */
export function demoAccounts(): AccountClaims[] {
  accounts ??= (
    JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'data', 'directory', 'users.json'), 'utf8')) as {
      users: AccountClaims[];
    }
  ).users.map(({ id, role, provinceCode, organisationId }) => ({ id, role, provinceCode, organisationId }));
  return accounts;
}

/** A demonstration account by its id, or the first of a role. */
export function demoAccount(idOrRole: string): AccountClaims {
  const found =
    demoAccounts().find((account) => account.id === idOrRole) ??
    demoAccounts().find((account) => account.role === idOrRole);
  if (!found) {
    const roles = [...new Set(demoAccounts().map((account) => account.role))].join(', ');
    throw new Error(`No demonstration account or role "${idOrRole}". Roles: ${roles}`);
  }
  return found;
}
