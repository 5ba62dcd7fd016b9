import type { JWTPayload } from 'jose';
import { ACCOUNT_ID_PATTERN, Actor, ActorRole, ORGANISATION_ID_PATTERN, PERSON_ROLES } from '@nrm/contracts';

/**
 * The claims nrm-flow reads from a token besides `sub`. An identity provider
 * maps its users' attributes to them (in Keycloak, a user-attribute mapper).
 */
export const CLAIMS = {
  role: 'nrm_role',
  province: 'nrm_province',
  organisation: 'nrm_organisation',
} as const;

const PROVINCE_CODE = /^TH-\d{2}$/;

export class UnacceptableClaims extends Error {}

/** Who a verified token speaks for, or why it cannot be accepted. */
export function actorFromClaims(payload: JWTPayload): Actor {
  const id = payload.sub;
  const role = payload[CLAIMS.role];
  const province = payload[CLAIMS.province];
  const organisation = payload[CLAIMS.organisation];
  if (typeof id !== 'string' || !ACCOUNT_ID_PATTERN.test(id)) throw new UnacceptableClaims('sub');
  if (typeof role !== 'string' || !(PERSON_ROLES as readonly string[]).includes(role))
    throw new UnacceptableClaims(CLAIMS.role);
  if (province !== undefined && (typeof province !== 'string' || !PROVINCE_CODE.test(province)))
    throw new UnacceptableClaims(CLAIMS.province);
  if (
    organisation !== undefined &&
    (typeof organisation !== 'string' || !ORGANISATION_ID_PATTERN.test(organisation))
  )
    throw new UnacceptableClaims(CLAIMS.organisation);
  if (role === 'coordinator' && !province) throw new UnacceptableClaims(CLAIMS.province);
  if (role === 'organisation-member' && !organisation) throw new UnacceptableClaims(CLAIMS.organisation);
  return {
    id,
    role: role as ActorRole,
    ...(typeof province === 'string' ? { provinceCode: province } : {}),
    ...(typeof organisation === 'string' ? { organisationId: organisation } : {}),
  };
}
