/**
 * The services a case may be offered under the NRM (protection and assistance,
 * s.33 of the Anti-Trafficking in Persons Act, plus the agencies that act on a
 * case). Codes are stable identifiers; the directory says who gives each.
 */
export const SERVICES = [
  'shelter',
  'child-protection',
  'medical-care',
  'psychosocial-support',
  'legal-aid',
  'interpretation',
  'repatriation',
  'immigration',
  'consular-assistance',
  'labour-inspection',
  'fisheries-inspection',
] as const;
export type Service = (typeof SERVICES)[number];

/** The client groups an organisation may accept; a person belongs to one. */
export const CLIENT_GROUPS = ['children', 'women', 'men', 'other-adults'] as const;
export type ClientGroup = (typeof CLIENT_GROUPS)[number];

export function clientGroupOf(person: { isChild: boolean; gender: string }): ClientGroup {
  if (person.isChild) return 'children';
  if (person.gender === 'female') return 'women';
  if (person.gender === 'male') return 'men';
  return 'other-adults';
}

/** How soon the province must act: urgent cases have shorter deadlines and head every queue. */
export const URGENCY_CLASSES = ['urgent', 'standard'] as const;
export type Urgency = (typeof URGENCY_CLASSES)[number];

/** Province risk groups set by the ministry each fiscal year: special watch, watch, minor, normal. */
export const RISK_GROUPS = ['A', 'B', 'C', 'D'] as const;
export type RiskGroup = (typeof RISK_GROUPS)[number];
