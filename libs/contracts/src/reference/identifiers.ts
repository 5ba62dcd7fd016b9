/** An account id as an identity provider issues it; never a person's name. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,100}$/;

/** An organisation's id in the directory: lowercase letters, digits and hyphens. */
export const ORGANISATION_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,99}$/;

/**
 * How people name a case in messages and on the phone: `NRM-` and the first 12
 * hex digits of its id, grouped (48 bits: among a million cases the chance that any two share one is
 * about one in 560). Links carry the full id.
 */
export function caseReference(caseId: string): string {
  const digits = caseId.replace(/-/g, '').slice(0, 12).toUpperCase();
  return `NRM-${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8, 12)}`;
}
