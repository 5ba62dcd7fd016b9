import { Service } from '@nrm/contracts';
import { CaseFacts } from '../persistence/generated/client';

export type ShareableFact =
  | 'ageBand'
  | 'isChild'
  | 'gender'
  | 'nationality'
  | 'languages'
  | 'medicalNeed'
  | 'dangerLevel'
  | 'exploitationTypes'
  | 'forcedLabourSector'
  | 'wishToReturnHome';

/** What each service needs to know about the person to give it: nothing more is shared with its provider. */
export const SERVICE_FACTS: Record<Service, readonly ShareableFact[]> = {
  shelter: ['ageBand', 'isChild', 'gender', 'dangerLevel'],
  'child-protection': ['ageBand', 'isChild', 'gender'],
  'medical-care': ['ageBand', 'gender', 'medicalNeed'],
  'psychosocial-support': ['ageBand', 'gender', 'languages'],
  'legal-aid': ['nationality', 'languages', 'exploitationTypes'],
  interpretation: ['languages'],
  repatriation: ['nationality', 'wishToReturnHome'],
  immigration: ['nationality'],
  'consular-assistance': ['nationality'],
  'labour-inspection': ['exploitationTypes', 'forcedLabourSector'],
  'fisheries-inspection': ['exploitationTypes', 'forcedLabourSector'],
};

/**
 * Without consent (an offer made on an override), only what keeps the person
 * alive and safe goes to a medical provider, and nothing to anyone else.
 */
const WITHOUT_CONSENT: Partial<Record<Service, readonly ShareableFact[]>> = {
  'medical-care': ['ageBand', 'gender', 'medicalNeed'],
};

/** The facts one organisation may read, from the services it is offered and the consent behind each offer. */
export function factsFor(
  facts: CaseFacts | null,
  offers: readonly { service: string; consentBasis: string }[],
): Partial<Record<ShareableFact, unknown>> {
  if (!facts) return {};
  const allowed = new Set<ShareableFact>();
  for (const offer of offers) {
    const service = offer.service as Service;
    const shared =
      offer.consentBasis === 'override' ? (WITHOUT_CONSENT[service] ?? []) : (SERVICE_FACTS[service] ?? []);
    for (const fact of shared) allowed.add(fact);
  }
  return Object.fromEntries([...allowed].sort().map((fact) => [fact, facts[fact]]));
}
