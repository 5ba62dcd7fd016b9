import { NotVisible } from '@nrm/auth';
import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  Actor,
  CaseTransitionedPayload,
  EventEnvelope,
  ReferralRouted,
  ReferralSubmittedPayload,
  ServiceOfferRouted,
  ServiceReferralTransitionedPayload,
} from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { DirectoryService } from '../directory/directory.service';
import { RoutingDatabase, RoutingTx } from '../persistence/routing-database.service';
import { RoutingFacts } from '../rules/rule-set';
import {
  applyRules,
  chooseOrganisation,
  decide,
  ProvinceFacts,
  routingFactsOf,
  RoutingOutcome,
} from '../rules/routing-engine';
import { RuleSetVersion, RulesService } from '../rules/rules.service';
import { jsonRecords } from '@nrm/persistence';

/** Service referral states after which the organisation's place is free again. */
const RELEASING_STATES = ['declined', 'expired', 'revoked', 'done_successful', 'done_unsuccessful'];
/** Offers that did not happen: the next suitable organisation is offered the service. */
const FALLING_THROUGH = ['declined', 'expired'];
/** Case states that end every placement. */
const ENDED_CASE_STATES = ['withdrawn', 'closed'];

export type RoutingPreview = Omit<ReferralSubmittedPayload, 'referralId'>;

/** A routing decision as stored: the facts and the explanation replay and explain it. */
interface NewDecision {
  referralId: string;
  decisionId: string;
  responsibleProvince: string;
  riskGroup: string;
  urgency: string;
  ruleVersion: number;
  facts: RoutingFacts;
  explanation: unknown;
}

/** A place a case holds at an organisation for a service. */
interface Place {
  caseId: string;
  service: string;
  organisationId: string;
}

interface NewOfferDecision {
  id: string;
  caseId: string;
  service: string;
  attempt: number;
  organisationId: string | null;
  ruleVersion: number;
  explanation: unknown;
}

@Injectable()
export class DecisionsService {
  constructor(
    private readonly db: RoutingDatabase,
    private readonly outbox: OutboxWriter,
    private readonly rules: RulesService,
    private readonly directory: DirectoryService,
  ) {}

  /**
   * Decides province, urgency and offers under the rules in force for each
   * referral, stores why, and announces it. A group of referrals shares one
   * read of the rules, of their provinces and of the candidate organisations,
   * and their decisions and places are stored together; each decision counts
   * the places taken by those before it, so that the last place goes to one of
   * them only.
   */
  async route(tx: RoutingTx, events: readonly EventEnvelope<ReferralSubmittedPayload>[]): Promise<void> {
    if (events.length === 0) return;
    const ruleSet = await this.rules.current(tx);
    const evaluated = await this.evaluate(
      tx,
      events.map((event) => event.payload),
      ruleSet,
    );
    const decisions: NewDecision[] = [];
    const offerDecisions: NewOfferDecision[] = [];
    const places: Place[] = [];
    for (const [index, event] of events.entries()) {
      const { facts, outcome, riskGroup } = evaluated[index];
      const offers = outcome.offers.map(({ service, organisationId }) => ({ service, organisationId }));
      const decided = {
        referralId: event.payload.referralId,
        decisionId: randomUUID(),
        responsibleProvince: outcome.responsibleProvince,
        riskGroup,
        urgency: outcome.urgency,
        ruleVersion: ruleSet.version,
      };
      decisions.push({ ...decided, facts, explanation: outcome.explanation });
      offerDecisions.push(
        ...outcome.offers.map((offer) => ({
          id: randomUUID(),
          caseId: event.caseId,
          service: offer.service,
          attempt: 1,
          organisationId: offer.organisationId,
          ruleVersion: ruleSet.version,
          explanation: offer.considered,
        })),
      );
      places.push(
        ...offers.flatMap(({ service, organisationId }) =>
          organisationId ? [{ caseId: event.caseId, service, organisationId }] : [],
        ),
      );
      await this.outbox.append(tx, ReferralRouted, {
        caseId: event.caseId,
        causedBy: event,
        payload: { ...decided, matchedRules: outcome.matchedRules, offers },
      });
    }
    await this.hold(tx, places);
    await tx.$executeRawUnsafe(
      `INSERT INTO routing_decision (referral_id, decision_id, responsible_province, risk_group, urgency, rule_version,
         facts, explanation)
       SELECT "referralId", "decisionId", "responsibleProvince", "riskGroup", urgency, "ruleVersion", facts, explanation
         FROM ${jsonRecords(
           '$1',
           `"referralId" uuid, "decisionId" uuid,
              "responsibleProvince" text, "riskGroup" text, urgency text, "ruleVersion" int, facts jsonb,
              explanation jsonb`,
         )} AS decision`,
      JSON.stringify(decisions),
    );
    await this.storeOffers(tx, offerDecisions);
  }

  /** Offer decisions, in one statement. */
  private async storeOffers(tx: RoutingTx, offers: readonly NewOfferDecision[]): Promise<void> {
    if (offers.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO offer_decision (id, case_id, service, attempt, organisation_id, rule_version, explanation)
       SELECT id, "caseId", service, attempt, "organisationId", "ruleVersion", explanation
         FROM ${jsonRecords(
           '$1',
           `id uuid, "caseId" uuid, service text, attempt int,
              "organisationId" text, "ruleVersion" int, explanation jsonb`,
         )} AS offer`,
      JSON.stringify(offers),
    );
  }

  /** What the rules in force would decide for a referral, without storing or announcing anything. */
  async preview(referral: RoutingPreview) {
    return this.db.$transaction(async (tx) => {
      const ruleSet = await this.rules.current(tx);
      const [{ outcome, riskGroup }] = await this.evaluate(
        tx,
        [{ ...referral, referralId: '00000000-0000-0000-0000-000000000000' }],
        ruleSet,
      );
      return { ruleVersion: ruleSet.version, riskGroup, ...outcome };
    });
  }

  /**
   * Follows a service referral: places are held from the offer and freed when
   * it ends; an offer declined or expired goes to the next suitable
   * organisation, or to nobody, which the province escalates.
   */
  async followServiceReferral(
    tx: RoutingTx,
    event: EventEnvelope<ServiceReferralTransitionedPayload>,
  ): Promise<void> {
    const { caseId, service, organisationId, to } = event.payload;
    if (to === 'offered') await this.hold(tx, [{ caseId, service, organisationId }]);
    if (RELEASING_STATES.includes(to)) {
      await tx.placement.updateMany({ where: { caseId, service, organisationId }, data: { active: false } });
    }
    if (!FALLING_THROUGH.includes(to)) return;
    const latest = await tx.offerDecision.findFirst({
      where: { caseId, service },
      orderBy: { attempt: 'desc' },
    });
    // Only offers routing chose are followed up; a coordinator's own offer is theirs to replace.
    if (!latest || latest.organisationId !== organisationId) return;
    const decision = await tx.routingDecision.findUnique({ where: { referralId: caseId } });
    if (!decision) return;
    // Every organisation chosen or offered for this service holds a placement row, active or not.
    const offered = await tx.placement.findMany({
      where: { caseId, service },
      select: { organisationId: true },
    });
    const alreadyOffered = new Set(offered.map((row) => row.organisationId));
    const { provinceCode } = event.payload;
    const candidates = await this.directory.candidatesFor(tx, [
      { services: [service], province: provinceCode },
    ]);
    const choice = chooseOrganisation(
      service,
      decision.facts as unknown as RoutingFacts,
      provinceCode,
      candidates.covering([service], provinceCode).get(service) ?? [],
      alreadyOffered,
    );
    const decisionId = randomUUID();
    const attempt = latest.attempt + 1;
    await this.storeOffers(tx, [
      {
        id: decisionId,
        caseId,
        service,
        attempt,
        organisationId: choice.organisationId,
        ruleVersion: decision.ruleVersion,
        explanation: choice.considered,
      },
    ]);
    if (choice.organisationId) {
      await this.hold(tx, [{ caseId, service, organisationId: choice.organisationId }]);
    }
    await this.outbox.append(tx, ServiceOfferRouted, {
      caseId,
      causedBy: event,
      payload: {
        decisionId,
        caseId,
        service,
        organisationId: choice.organisationId,
        attempt,
        ruleVersion: decision.ruleVersion,
      },
    });
  }

  /** A case that ended frees every place it held. */
  async followCase(tx: RoutingTx, event: EventEnvelope<CaseTransitionedPayload>): Promise<void> {
    if (event.payload.track !== 'case' || !ENDED_CASE_STATES.includes(event.payload.to)) return;
    await tx.placement.updateMany({ where: { caseId: event.caseId, active: true }, data: { active: false } });
  }

  /** The decision for a referral, with its explanation and every offer decided since. */
  /** A coordinator reads the decisions that made their province responsible; a supervisor reads any. */
  async get(referralId: string, reader: Actor) {
    const decision = await this.db.routingDecision.findUnique({ where: { referralId } });
    const mayRead = reader.role === 'supervisor' || decision?.responsibleProvince === reader.provinceCode;
    if (!decision) throw new NotFoundException('No routing decision for this referral');
    if (!mayRead) throw new NotVisible('routing decision', referralId);
    const offerDecisions = await this.db.offerDecision.findMany({
      where: { caseId: referralId },
      orderBy: [{ service: 'asc' }, { attempt: 'asc' }],
    });
    return { ...decision, offerDecisions };
  }

  /**
   * The decisions for referrals in the order given: one read of their
   * provinces and one of the candidates for all of them.
   */
  private async evaluate(
    tx: RoutingTx,
    referrals: readonly ReferralSubmittedPayload[],
    { rules }: RuleSetVersion,
  ): Promise<{ facts: RoutingFacts; outcome: RoutingOutcome; riskGroup: string }[]> {
    const foundIn = await this.directory.provinceFacts(
      tx,
      referrals.map((referral) => referral.foundInProvince),
    );
    const ruled = referrals.map((referral) => {
      const facts = routingFactsOf(referral, known(foundIn, referral.foundInProvince));
      return { facts, applied: applyRules(facts, rules) };
    });
    const responsible = await this.directory.provinceFacts(
      tx,
      ruled.map(({ applied }) => applied.responsibleProvince),
    );
    const pool = await this.directory.candidatesFor(
      tx,
      ruled.map(({ applied }) => ({ services: applied.services, province: applied.responsibleProvince })),
    );
    return ruled.map(({ facts, applied }) => {
      const outcome = decide(facts, applied, pool.covering(applied.services, applied.responsibleProvince));
      for (const offer of outcome.offers) {
        if (offer.organisationId) pool.take(offer.service, offer.organisationId);
      }
      return { facts, outcome, riskGroup: known(responsible, outcome.responsibleProvince).riskGroup };
    });
  }

  /** Every place in one statement: a new one is held, one held before is active again. */
  private async hold(tx: RoutingTx, places: readonly Place[]) {
    if (places.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO placement (case_id, service, organisation_id, active, updated_at)
       SELECT DISTINCT "caseId", service, "organisationId", true, now()
         FROM ${jsonRecords('$1', `"caseId" uuid, service text, "organisationId" text`)} AS place
       ON CONFLICT (case_id, service, organisation_id) DO UPDATE SET active = true, updated_at = now()`,
      JSON.stringify(places),
    );
  }
}

function known(provinces: Map<string, ProvinceFacts>, code: string): ProvinceFacts {
  const facts = provinces.get(code);
  if (!facts) throw new Error(`Province ${code} is missing from the directory: run the seed command`);
  return facts;
}
