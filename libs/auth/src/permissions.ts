import { SetMetadata } from '@nestjs/common';
import { ActorRole, PERSON_ROLES } from '@nrm/contracts';

const EVERYONE = PERSON_ROLES;

/**
 * Which roles may use which endpoints: the one place roles are decided. Which
 * cases, referrals and offers a role then sees (its province, its
 * organisation, its own referrals) is decided by each service's access policy.
 */
export const PERMISSIONS = {
  'referrals.submit': ['case-worker'],
  'referrals.read': ['case-worker'],
  'referrals.withdraw': ['case-worker'],
  'identity.read': ['case-worker', 'supervisor'],
  'cases.read': ['coordinator', 'supervisor', 'organisation-member'],
  'cases.manage': ['coordinator'],
  'offers.answer': ['organisation-member', 'coordinator'],
  'escalations.read': ['coordinator', 'supervisor'],
  'routing-decisions.read': ['coordinator', 'supervisor'],
  'routing-decisions.preview': ['admin'],
  'routing-rules.read': ['admin', 'supervisor', 'coordinator'],
  'routing-rules.manage': ['admin'],
  'directory.read': EVERYONE,
  'directory.manage': ['admin'],
  'deadline-policies.read': ['admin', 'supervisor', 'coordinator'],
  'deadline-policies.manage': ['admin'],
  'dead-letters.manage': ['admin'],
  'inbox.use': EVERYONE,
  'preferences.manage': EVERYONE,
  'deliveries.read': ['admin', 'supervisor'],
  'deliveries.resend': ['admin'],
  'webhooks.manage': ['admin'],
  'digest.manage': ['admin'],
  'audit.read': ['auditor'],
  'statistics.export': ['supervisor'],
  'oversight.read': ['supervisor'],
  'retention.run': ['admin'],
} as const satisfies Record<string, readonly ActorRole[]>;

export type Permission = keyof typeof PERMISSIONS;

export const PERMISSION_KEY = 'nrm:permission';
export const PUBLIC_KEY = 'nrm:public';

/** The permission an endpoint needs. An endpoint without one is refused to everyone. */
export const Can = (permission: Permission) => SetMetadata(PERMISSION_KEY, permission);

/**
 * Open without a person's token: only the health check, and the metrics, whose
 * own guard asks for the scrape token instead.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export function roleMay(role: ActorRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly ActorRole[]).includes(role);
}
