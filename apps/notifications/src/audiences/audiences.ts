/**
 * Notices are addressed to audiences: a role within a scope, so a notice reaches
 * whoever holds the role today, or one account (the case worker who referred).
 */
export function provinceCoordinators(provinceCode: string): string {
  return `province:${provinceCode}:coordinators`;
}

export function organisationMembers(organisationId: string): string {
  return `organisation:${organisationId}:members`;
}

/** Supervisors across the country. */
export const SUPERVISORS = 'national:supervisors';

export function account(accountId: string): string {
  return `account:${accountId}`;
}

export interface AudienceMember {
  accountId: string;
  role: string;
  provinceCode: string | null;
  organisationId: string | null;
}

/** Every audience an account belongs to: what its inbox shows. */
export function audiencesOf(member: AudienceMember): string[] {
  const audiences = [account(member.accountId)];
  if (member.role === 'coordinator' && member.provinceCode)
    audiences.push(provinceCoordinators(member.provinceCode));
  if (member.role === 'organisation-member' && member.organisationId)
    audiences.push(organisationMembers(member.organisationId));
  if (member.role === 'supervisor') audiences.push(SUPERVISORS);
  return audiences;
}

/** The subscribers an audience reaches, as a query on the subscriber table. */
export function membersWhere(audience: string): Record<string, string> | undefined {
  const [scope, id, role] = audience.split(':');
  if (scope === 'account' && id) return { accountId: id };
  if (scope === 'province' && role === 'coordinators') return { role: 'coordinator', provinceCode: id };
  if (scope === 'organisation' && role === 'members')
    return { role: 'organisation-member', organisationId: id };
  if (audience === SUPERVISORS) return { role: 'supervisor' };
  return undefined;
}
