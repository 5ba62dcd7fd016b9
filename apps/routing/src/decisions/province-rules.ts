import { ReferralSubmittedPayload } from '@nrm/contracts';

export interface ProvinceDecision {
  responsibleProvince: string;
  ruleVersion: number;
  matchedRules: string[];
  explanation: { rule: string; reason: string }[];
}

/**
 * The first routing rule: the province where the person was found is
 * responsible. Rules held as data, with versions, replace this function in the
 * routing issue; the decision's shape (province, rule version, explanation)
 * stays.
 */
export function decideProvince(referral: ReferralSubmittedPayload): ProvinceDecision {
  return {
    responsibleProvince: referral.foundInProvince,
    ruleVersion: 1,
    matchedRules: ['default.found-province'],
    explanation: [
      {
        rule: 'default.found-province',
        reason: `The person was found in ${referral.foundInProvince}; that province's operation centre is responsible.`,
      },
    ],
  };
}
