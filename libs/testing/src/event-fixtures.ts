import { randomUUID } from 'node:crypto';

/** A Kafka message carrying one event, as another service's relay would publish it. */
export function eventMessage(type: string, caseId: string, payload: object): { key: string; value: string } {
  return {
    key: caseId,
    value: JSON.stringify({
      eventId: randomUUID(),
      type,
      version: 1,
      caseId,
      occurredAt: new Date().toISOString(),
      correlationId: randomUUID(),
      actor: { id: 'system', role: 'system' },
      payload,
    }),
  };
}

/** A complete, valid `referral.submitted` payload for an adult found in Tak. */
export function referralSubmittedPayload(
  referralId: string,
  overrides: Record<string, unknown> = {},
): object {
  return {
    referralId,
    foundInProvince: 'TH-63',
    foundOn: '2026-11-20',
    ageBand: '25-34',
    isChild: false,
    gender: 'female',
    nationality: 'MMR',
    exploitationTypes: ['forced-labour'],
    cameToNoticeVia: 'labour-inspection',
    referrerOrganisation: 'dlpw-tak',
    consentToShare: true,
    consentToContact: true,
    childBestInterestRecorded: false,
    forcedLabourSector: 'fishing-aquaculture',
    forcedLabourIndicators: ['withheld-wages'],
    methodsOfControl: ['withholding-documents'],
    dangerLevel: 'low',
    medicalNeed: 'none',
    urgent: false,
    shelterNeeded: true,
    legalAidNeeded: false,
    interpreterNeeded: true,
    languages: ['mya'],
    wishToReturnHome: true,
    possibleDuplicateOf: [],
    ...overrides,
  };
}
