import { ReferralSubmittedPayload, clientGroupOf } from '@nrm/contracts';
import { Condition, Rule, RoutingFacts } from './rule-set';

/** What the engine needs of a province in the directory. */
export interface ProvinceFacts {
  code: string;
  region: string;
  riskGroup: string;
}

/** One organisation as a candidate for one service, with its load at decision time. */
export interface Candidate {
  id: string;
  active: boolean;
  nationwide: boolean;
  provinces: string[];
  languages: string[];
  clientGroups: string[];
  nationalities: string[];
  /** null: not limited. */
  capacity: number | null;
  /** Places held; counted only where a capacity limits them. */
  inUse: number;
}

export interface RuleOutcome {
  rule: string;
  matched: boolean;
  description: { en: string; th: string };
  /** For a match, every condition as it held; otherwise the first that did not. */
  conditions: string[];
}

export type CandidateOutcome =
  | { organisationId: string; outcome: 'chosen' | 'ranked-lower'; reason: string }
  | { organisationId: string; outcome: 'excluded'; reason: ExclusionReason; detail: string };

export type ExclusionReason =
  'inactive' | 'outside-coverage' | 'client-group' | 'nationality' | 'language' | 'full' | 'already-offered';

export interface OfferChoice {
  service: string;
  organisationId: string | null;
  considered: CandidateOutcome[];
}

export interface RoutingOutcome {
  responsibleProvince: string;
  urgency: 'urgent' | 'standard';
  matchedRules: string[];
  offers: OfferChoice[];
  /** Why the province and the urgency; each offer's choice explains itself. */
  explanation: {
    province: string;
    urgency: string;
    rules: RuleOutcome[];
  };
}

const THAI = 'tha';

/** The facts rules see: codes and flags of the referral, and the found-in province's directory entry. */
export function routingFactsOf(referral: ReferralSubmittedPayload, foundIn: ProvinceFacts): RoutingFacts {
  return {
    foundInProvince: referral.foundInProvince,
    region: foundIn.region,
    riskGroup: foundIn.riskGroup,
    isChild: referral.isChild,
    ageBand: referral.ageBand,
    gender: referral.gender,
    clientGroup: clientGroupOf(referral),
    nationality: referral.nationality,
    foreignNational: referral.nationality !== 'THA',
    exploitationTypes: [...referral.exploitationTypes].sort(),
    forcedLabourSector: referral.forcedLabourSector,
    forcedLabourIndicators: [...referral.forcedLabourIndicators].sort(),
    methodsOfControl: [...referral.methodsOfControl].sort(),
    dangerLevel: referral.dangerLevel,
    medicalNeed: referral.medicalNeed,
    cameToNoticeVia: referral.cameToNoticeVia,
    shelterNeeded: referral.shelterNeeded,
    legalAidNeeded: referral.legalAidNeeded,
    interpreterNeeded: referral.interpreterNeeded,
    languages: [...referral.languages].sort(),
    wishToReturnHome: referral.wishToReturnHome,
  };
}

function holds(condition: Condition, facts: RoutingFacts): boolean {
  const actual = facts[condition.fact];
  const expected = condition.value;
  switch (condition.op) {
    case 'equals':
      return actual === expected;
    case 'notEquals':
      return actual !== expected;
    case 'in':
      return Array.isArray(expected) && expected.includes(actual as string);
    case 'notIn':
      return Array.isArray(expected) && !expected.includes(actual as string);
    case 'includes':
      return Array.isArray(actual) && actual.includes(expected as string);
    case 'includesAny':
      return (
        Array.isArray(actual) && Array.isArray(expected) && expected.some((item) => actual.includes(item))
      );
  }
}

function describe(condition: Condition, facts: RoutingFacts): string {
  return `${condition.fact} ${condition.op} ${JSON.stringify(condition.value)} (is ${JSON.stringify(facts[condition.fact])})`;
}

function evaluate(rule: Rule, facts: RoutingFacts): RuleOutcome {
  const failed = rule.when.find((condition) => !holds(condition, facts));
  return {
    rule: rule.id,
    matched: !failed,
    description: rule.description,
    conditions: failed ? [describe(failed, facts)] : rule.when.map((condition) => describe(condition, facts)),
  };
}

function exclusion(
  candidate: Candidate,
  service: string,
  facts: RoutingFacts,
  province: string,
  alreadyOffered: ReadonlySet<string>,
): { reason: ExclusionReason; detail: string } | null {
  if (!candidate.active) return { reason: 'inactive', detail: 'not active in the directory' };
  if (alreadyOffered.has(candidate.id)) {
    return { reason: 'already-offered', detail: 'already offered this service for this case' };
  }
  if (!candidate.nationwide && !candidate.provinces.includes(province)) {
    return { reason: 'outside-coverage', detail: `does not cover ${province}` };
  }
  if (candidate.clientGroups.length > 0 && !candidate.clientGroups.includes(facts.clientGroup as string)) {
    return {
      reason: 'client-group',
      detail: `accepts ${candidate.clientGroups.join(', ')}, not ${facts.clientGroup}`,
    };
  }
  if (candidate.nationalities.length > 0 && !candidate.nationalities.includes(facts.nationality as string)) {
    return { reason: 'nationality', detail: `serves ${candidate.nationalities.join(', ')} nationals only` };
  }
  if (service === 'interpretation' && spokenLanguages(candidate, facts) === 0) {
    return {
      reason: 'language',
      detail: `speaks none of ${neededLanguages(facts).join(', ') || 'the person’s languages'}`,
    };
  }
  if (candidate.capacity !== null && candidate.inUse >= candidate.capacity) {
    return { reason: 'full', detail: `${candidate.inUse} of ${places(candidate.capacity)} in use` };
  }
  return null;
}

function neededLanguages(facts: RoutingFacts): string[] {
  return facts.languages.filter((language) => language !== THAI);
}

function spokenLanguages(candidate: Candidate, facts: RoutingFacts): number {
  return neededLanguages(facts).filter((language) => candidate.languages.includes(language)).length;
}

function places(count: number): string {
  return `${count} ${count === 1 ? 'place' : 'places'}`;
}

function freePlaces(candidate: Candidate): number {
  return candidate.capacity === null ? Number.POSITIVE_INFINITY : candidate.capacity - candidate.inUse;
}

/**
 * Picks the organisation to offer a service to. Suitable candidates rank by: speaking
 * the person's language, covering the province specifically rather than nationwide,
 * more free places, then id, so the same inputs always give the same choice.
 */
export function chooseOrganisation(
  service: string,
  facts: RoutingFacts,
  province: string,
  candidates: Candidate[],
  alreadyOffered: ReadonlySet<string> = new Set(),
): OfferChoice {
  const excluded: CandidateOutcome[] = [];
  const suitable: Candidate[] = [];
  for (const candidate of candidates) {
    const why = exclusion(candidate, service, facts, province, alreadyOffered);
    if (why) excluded.push({ organisationId: candidate.id, outcome: 'excluded', ...why });
    else suitable.push(candidate);
  }
  suitable.sort(
    (a, b) =>
      spokenLanguages(b, facts) - spokenLanguages(a, facts) ||
      Number(a.nationwide) - Number(b.nationwide) ||
      freePlaces(b) - freePlaces(a) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const ranked: CandidateOutcome[] = suitable.map((candidate, index) => ({
    organisationId: candidate.id,
    outcome: index === 0 ? 'chosen' : 'ranked-lower',
    reason: [
      spokenLanguages(candidate, facts) > 0 ? 'speaks the person’s language' : null,
      candidate.nationwide ? 'covers the whole country' : `covers ${province}`,
      candidate.capacity === null ? 'capacity not limited' : `${places(freePlaces(candidate))} free`,
    ]
      .filter(Boolean)
      .join('; '),
  }));
  excluded.sort((a, b) => (a.organisationId < b.organisationId ? -1 : 1));
  return { service, organisationId: suitable[0]?.id ?? null, considered: [...ranked, ...excluded] };
}

export interface AppliedRules {
  outcomes: RuleOutcome[];
  matchedRules: string[];
  routedBy: string | null;
  responsibleProvince: string;
  urgentBy: string[];
  /** The services the matched rules offer, in the order they first appear. */
  services: string[];
}

/** Which rules hold for these facts, and what they decide about province, urgency and services. */
export function applyRules(facts: RoutingFacts, rules: Rule[]): AppliedRules {
  const outcomes = rules.map((rule) => evaluate(rule, facts));
  const matched = rules.filter((_, index) => outcomes[index].matched);
  const routing = matched.find((rule) => rule.routeTo);
  return {
    outcomes,
    matchedRules: matched.map((rule) => rule.id),
    routedBy: routing?.id ?? null,
    responsibleProvince: routing?.routeTo ?? (facts.foundInProvince as string),
    urgentBy: matched.filter((rule) => rule.urgent === true).map((rule) => rule.id),
    services: [...new Set(matched.flatMap((rule) => rule.offer ?? []))],
  };
}

/**
 * Completes a decision: for each service, the organisation to offer it to.
 * Pure: the same facts, rules and candidates always give the same outcome,
 * which is what lets a stored decision be checked by replaying it.
 */
export function decide(
  facts: RoutingFacts,
  applied: AppliedRules,
  candidates: ReadonlyMap<string, Candidate[]>,
): RoutingOutcome {
  const { responsibleProvince, urgentBy, routedBy } = applied;
  const offers = applied.services.map((service) =>
    chooseOrganisation(service, facts, responsibleProvince, candidates.get(service) ?? []),
  );
  return {
    responsibleProvince,
    urgency: urgentBy.length > 0 ? 'urgent' : 'standard',
    matchedRules: applied.matchedRules,
    offers,
    explanation: {
      province: routedBy
        ? `${responsibleProvince}, by rule ${routedBy}`
        : `${responsibleProvince}, where the person was found (no rule routes elsewhere)`,
      urgency:
        urgentBy.length > 0 ? `urgent, by ${urgentBy.join(', ')}` : 'standard: no urgency rule matched',
      rules: applied.outcomes,
    },
  };
}
