import { Language } from '@nrm/runtime';
import { MessageKey } from '../i18n/messages';
import { readableLines } from './case-view';

/** Routing's decision for a case, as GET /decisions/:referralId answers. */
export interface RoutingDecision {
  responsibleProvince: string;
  riskGroup: string;
  urgency: string;
  ruleVersion: number;
  explanation: unknown;
  offerDecisions: { service: string; organisationId: string | null; explanation: unknown }[];
}

interface RuleOutcome {
  rule?: unknown;
  matched?: unknown;
  description?: Partial<Record<Language, unknown>>;
}

interface Candidate {
  organisationId?: unknown;
  outcome?: unknown;
  reason?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/**
 * Why this province, this urgency and these organisations, in a coordinator's
 * words: the rules that matched (described in the page's language), then each
 * service's choice and the organisations passed over with their reason.
 */
export function explainRouting(decision: RoutingDecision, language: Language) {
  const explanation = (decision.explanation ?? {}) as { rules?: unknown; [key: string]: unknown };
  const rules = Array.isArray(explanation.rules) ? (explanation.rules as RuleOutcome[]) : [];
  const rest = Object.fromEntries(Object.entries(explanation).filter(([key]) => key !== 'rules'));
  return {
    decided: [
      { label: 'responsibleProvince', value: decision.responsibleProvince },
      { label: 'riskGroup', value: decision.riskGroup },
      { label: 'urgency', value: decision.urgency },
      { label: 'ruleVersion', value: String(decision.ruleVersion) },
    ] satisfies { label: MessageKey; value: string }[],
    facts: readableLines(rest),
    matchedRules: rules
      .filter((rule) => rule.matched === true)
      .map((rule) => text(rule.description?.[language] ?? rule.description?.en ?? rule.rule)),
    offers: decision.offerDecisions.map((offer) => {
      const candidates = Array.isArray(offer.explanation) ? (offer.explanation as Candidate[]) : [];
      return {
        service: offer.service,
        organisationId: offer.organisationId,
        candidates: candidates.map((candidate) => ({
          organisationId: text(candidate.organisationId ?? '—'),
          outcome: text(candidate.outcome ?? ''),
          reason: text(candidate.reason ?? ''),
        })),
        details: candidates.length ? [] : readableLines(offer.explanation),
      };
    }),
  };
}
