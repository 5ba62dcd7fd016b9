import { AgeBand, PayloadOf, ReferralSubmitted } from '@nrm/contracts';
import { isChildBand } from './age-band';
import { SubmitReferralDto } from './submit-referral.dto';

/** Danger high or immediate, or urgent medical care: the province acts on these first. */
export function isUrgent(dto: SubmitReferralDto): boolean {
  return ['high', 'immediate'].includes(dto.needs.dangerLevel) || dto.needs.medical === 'urgent';
}

/** What the other services learn of a new referral: codes, bands, flags and ids, nothing identifying. */
export function submittedPayload(
  referralId: string,
  dto: SubmitReferralDto,
  ageBand: AgeBand,
  possibleDuplicateOf: string[],
): PayloadOf<typeof ReferralSubmitted> {
  const isChild = isChildBand(ageBand);
  return {
    referralId,
    foundInProvince: dto.found.provinceCode,
    foundOn: dto.found.date,
    ageBand,
    isChild,
    gender: dto.person.gender,
    nationality: dto.person.nationality,
    exploitationTypes: dto.exploitationTypes,
    cameToNoticeVia: dto.cameToNoticeVia,
    referrerOrganisation: dto.referrer.organisation,
    consentToShare: dto.consent?.shareWithServiceProviders ?? false,
    consentToContact: dto.consent?.contactLater ?? false,
    childBestInterestRecorded: isChild && dto.guardianOrBestInterest !== undefined,
    forcedLabourSector: dto.forcedLabourSector ?? null,
    forcedLabourIndicators: dto.indicators?.forcedLabour ?? [],
    methodsOfControl: dto.indicators?.methodsOfControl ?? [],
    dangerLevel: dto.needs.dangerLevel,
    medicalNeed: dto.needs.medical,
    urgent: isUrgent(dto),
    shelterNeeded: dto.needs.shelter ?? false,
    legalAidNeeded: dto.needs.legalAid ?? false,
    interpreterNeeded: (dto.needs.interpreter ?? false) || (dto.person.interpreterNeeded ?? false),
    languages: dto.person.languages ?? [],
    wishToReturnHome: dto.needs.wishToReturnHome ?? false,
    possibleDuplicateOf,
  };
}
