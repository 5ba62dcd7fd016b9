import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CaseEvent,
  CaseSnapshot,
  OPEN_SERVICE_REFERRAL_STATES,
  ServiceReferralState,
  transitionCase,
} from '@nrm/case-lifecycle';
import {
  Actor,
  CaseAssigned,
  CaseOpened,
  CaseTransitioned,
  EventEnvelope,
  ReferralRoutedPayload,
  ReferralSubmittedPayload,
  ReferralWithdrawnPayload,
  SYSTEM_ACTOR,
} from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { DeadlineChanges } from '@nrm/scheduling';
import { CaseDeadlines } from '../deadlines/case-deadlines.service';
import { DeadlineKind, DeadlineKinds, MAX_HOLD_EXTENSION_DAYS } from '../deadlines/deadline-policies';
import { addDuration } from '../deadlines/working-time';
import { EscalationsService } from '../escalations/escalations.service';
import { FollowUpService } from '../follow-up/follow-up.service';
import { ServiceOffersService } from '../offers/service-offers.service';
import { Prisma } from '../persistence/generated/client';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';
import { AssignmentDto, CaseEventDto, CaseListQuery, HoldExtensionDto } from './case-commands.dto';
import { CaseRecords, LockedCase } from './case-records';
import { refuse } from './refusal';
import { decodeCursor, encodeCursor } from './page-cursor';
import { jsonRecords } from '@nrm/persistence';

/** What each step of the lifecycle does to the case's deadlines. */
const DEADLINE_EFFECTS: Partial<
  Record<CaseEvent, { meet?: DeadlineKind[]; set?: DeadlineKind[]; cancelAll?: true }>
> = {
  accept: { meet: [DeadlineKinds.acceptance] },
  request_transfer: { meet: [DeadlineKinds.acceptance], set: [DeadlineKinds.transferResponse] },
  accept_transfer: { meet: [DeadlineKinds.transferResponse] },
  decline_transfer: { meet: [DeadlineKinds.transferResponse], set: [DeadlineKinds.acceptance] },
  start_temporary_protection: { set: [DeadlineKinds.identificationHold, DeadlineKinds.mdtInterview] },
  start_identification: { meet: [DeadlineKinds.mdtInterview] },
  identify_as_victim: { meet: [DeadlineKinds.identificationHold, DeadlineKinds.mdtInterview] },
  identify_as_not_victim: { meet: [DeadlineKinds.identificationHold, DeadlineKinds.mdtInterview] },
  withdraw: { cancelAll: true },
  approve_closure: { cancelAll: true },
};

const OPEN_ESCALATION = { resolvedAt: null };

/** A case is escalated from its earliest escalation still open, and not at all once each is resolved. */
function escalatedSince(escalations: { raisedAt: Date; resolvedAt: Date | null }[]): Date | null {
  const open = escalations.filter((escalation) => !escalation.resolvedAt);
  return open.length > 0
    ? new Date(Math.min(...open.map((escalation) => escalation.raisedAt.getTime())))
    : null;
}

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    private readonly db: ProvinceDatabase,
    private readonly outbox: OutboxWriter,
    private readonly records: CaseRecords,
    private readonly deadlines: CaseDeadlines,
    private readonly offers: ServiceOffersService,
    private readonly escalations: EscalationsService,
    private readonly followUp: FollowUpService,
  ) {}

  /**
   * Opens each case in the responsible province's queue with routing's plan of
   * services and an acceptance deadline; a service no organisation can give is
   * escalated at once. Cases routed together are written together.
   */
  async open(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    events: readonly EventEnvelope<ReferralRoutedPayload>[],
  ): Promise<void> {
    if (events.length === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO provincial_case (id, province_code, urgency, risk_group, routing)
       SELECT id, "provinceCode", urgency, "riskGroup", routing
         FROM ${jsonRecords(
           '$1',
           `id uuid, "provinceCode" text, urgency text, "riskGroup" text,
              routing jsonb`,
         )} AS opened`,
      JSON.stringify(
        events.map(({ caseId, payload }) => ({
          id: caseId,
          provinceCode: payload.responsibleProvince,
          urgency: payload.urgency,
          riskGroup: payload.riskGroup,
          routing: {
            decisionId: payload.decisionId,
            ruleVersion: payload.ruleVersion,
            matchedRules: payload.matchedRules,
          },
        })),
      ),
    );
    const needs = events.flatMap(({ caseId, payload }) =>
      payload.offers.map((offer) => ({
        caseId,
        service: offer.service,
        status: offer.organisationId ? 'planned' : 'unavailable',
        organisationId: offer.organisationId,
      })),
    );
    if (needs.length > 0)
      await tx.$executeRawUnsafe(
        `INSERT INTO service_need (case_id, service, status, organisation_id, attempt)
         SELECT "caseId", service, status, "organisationId", 1
           FROM ${jsonRecords('$1', `"caseId" uuid, service text, status text, "organisationId" text`)} AS need`,
        JSON.stringify(needs),
      );
    // The acceptance policy is read once for each urgency among the group's cases, not once per case.
    const acceptanceDue = new Map<string, Date>();
    for (const urgency of new Set(events.map((event) => event.payload.urgency)))
      acceptanceDue.set(urgency, (await this.deadlines.dueTimes(tx, DeadlineKinds.acceptance, urgency))[0]);
    const opened = events.map((event) => ({
      event,
      found: {
        id: event.caseId,
        provinceCode: event.payload.responsibleProvince,
        urgency: event.payload.urgency,
      },
    }));
    for (const { event, found } of opened)
      await this.outbox.append(tx, CaseOpened, {
        caseId: event.caseId,
        causedBy: event,
        payload: {
          caseId: event.caseId,
          provinceCode: found.provinceCode,
          urgency: found.urgency,
          riskGroup: event.payload.riskGroup,
        },
      });
    await this.deadlines.setAll(
      tx,
      changes,
      opened.map(({ found }) => ({
        found,
        kind: DeadlineKinds.acceptance,
        dueAt: acceptanceDue.get(found.urgency)!,
      })),
    );
    await this.escalations.raiseAll(
      tx,
      opened.flatMap(({ event, found }) =>
        event.payload.offers
          .filter((planned) => !planned.organisationId)
          .map((offer) => ({
            found,
            escalation: { reason: 'no-provider' as const, service: offer.service },
          })),
      ),
    );
  }

  /** Keeps what the province must know of consent, from intake's referrals: one statement for all of them. */
  async recordFacts(
    tx: ProvinceTx,
    events: readonly EventEnvelope<ReferralSubmittedPayload>[],
  ): Promise<void> {
    // One row per case (its latest facts): an upsert may not touch a row twice.
    const latest = new Map(events.map((event) => [event.caseId, event.payload]));
    if (latest.size === 0) return;
    await tx.$executeRawUnsafe(
      `INSERT INTO case_facts (case_id, is_child, consent_to_share, consent_to_contact, child_best_interest_recorded,
         age_band, gender, nationality, languages, medical_need, danger_level, exploitation_types,
         forced_labour_sector, wish_to_return_home, updated_at)
       SELECT "caseId", "isChild", "consentToShare", "consentToContact", "childBestInterestRecorded", "ageBand",
              gender, nationality, languages, "medicalNeed", "dangerLevel", "exploitationTypes",
              "forcedLabourSector", "wishToReturnHome", now()
         FROM ${jsonRecords(
           '$1',
           `"caseId" uuid, "isChild" boolean, "consentToShare" boolean,
              "consentToContact" boolean, "childBestInterestRecorded" boolean, "ageBand" text, gender text,
              nationality text, languages text[], "medicalNeed" text, "dangerLevel" text,
              "exploitationTypes" text[], "forcedLabourSector" text, "wishToReturnHome" boolean`,
         )} AS facts
       ON CONFLICT (case_id) DO UPDATE SET
         is_child = EXCLUDED.is_child, consent_to_share = EXCLUDED.consent_to_share,
         consent_to_contact = EXCLUDED.consent_to_contact,
         child_best_interest_recorded = EXCLUDED.child_best_interest_recorded, age_band = EXCLUDED.age_band,
         gender = EXCLUDED.gender, nationality = EXCLUDED.nationality, languages = EXCLUDED.languages,
         medical_need = EXCLUDED.medical_need, danger_level = EXCLUDED.danger_level,
         exploitation_types = EXCLUDED.exploitation_types, forced_labour_sector = EXCLUDED.forced_labour_sector,
         wish_to_return_home = EXCLUDED.wish_to_return_home, updated_at = now()`,
      // The recordset takes the columns it names from each payload and ignores its other fields.
      JSON.stringify([...latest].map(([caseId, payload]) => ({ ...payload, caseId }))),
    );
  }

  /** One step of the case lifecycle: checked, recorded with who and why, and announced, in one transaction. */
  async apply(caseId: string, command: CaseEventDto, actor: Actor) {
    const changes = new DeadlineChanges();
    await this.db.$transaction((tx) => this.step(tx, changes, caseId, command, actor));
    await this.deadlines.apply(changes);
    return this.view(caseId);
  }

  /**
   * The referrer withdrew the referral: the case is withdrawn if its lifecycle
   * still allows it. Intake checks the same before it accepts a withdrawal, so a
   * refusal here means the province moved the case on in the meantime.
   */
  async withdrawnByReferrer(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    event: EventEnvelope<ReferralWithdrawnPayload>,
  ): Promise<void> {
    try {
      await this.step(
        tx,
        changes,
        event.caseId,
        { event: 'withdraw', reason: 'Withdrawn by the referrer' },
        event.actor,
      );
    } catch (error) {
      if (!(error instanceof ConflictException) && !(error instanceof NotFoundException)) throw error;
      this.logger.warn({ message: 'Withdrawal not applied', caseId: event.caseId, refusal: error.message });
    }
  }

  private async step(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    caseId: string,
    command: CaseEventDto,
    actor: Actor,
  ): Promise<void> {
    const current = await this.records.lock(tx, caseId);
    const consentBasis = await this.records.consentBasis(tx, caseId);
    const event = command.event as CaseEvent;
    const outcome = transitionCase(
      { state: current.state, legal: current.legalState, resumeState: current.resumeState },
      { event, ...(command.reason ? { reason: command.reason } : {}) },
      {
        consentOrBestInterest: consentBasis !== null,
      },
    );
    if (!outcome.allowed)
      refuse(outcome.refusal, { state: current.state, legalState: current.legalState, event });
    const ownership = this.ownershipAfter(current, event, command.transferTo);
    await this.save(tx, caseId, outcome.next, ownership);
    await tx.caseTransition.create({
      data: {
        caseId,
        track: outcome.track,
        event,
        fromState: outcome.from,
        toState: outcome.to,
        actorId: actor.id,
        actorRole: actor.role,
        actorOrganisation: actor.organisationId ?? null,
        reason: command.reason ?? null,
      },
    });
    await this.outbox.append(tx, CaseTransitioned, {
      caseId,
      actor,
      payload: {
        caseId,
        track: outcome.track,
        event,
        from: outcome.from,
        to: outcome.to,
        provinceCode: ownership.provinceCode,
        ...(ownership.transferTo ? { transferTo: ownership.transferTo } : {}),
      },
    });
    await this.followThrough(tx, changes, { ...current, ...ownership, state: outcome.next.state }, event);
  }

  /** Deadlines met, set or cancelled by the step, and the work it starts. */
  private async followThrough(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    found: LockedCase,
    event: CaseEvent,
  ): Promise<void> {
    const effects = DEADLINE_EFFECTS[event] ?? {};
    if (effects.cancelAll) await this.deadlines.cancelAll(tx, changes, found);
    if (effects.meet) await this.deadlines.settle(tx, changes, found, effects.meet);
    for (const kind of effects.set ?? []) await this.deadlines.set(tx, changes, found, kind);
    if (event === 'accept' || event === 'accept_transfer') await this.offers.sendPlanned(tx, changes, found);
    if (event === 'start_follow_up') await this.followUp.plan(tx, changes, found);
  }

  /** Names the case manager and the multidisciplinary team (replacing the previous team). */
  async assign(caseId: string, assignment: AssignmentDto, actor: Actor) {
    await this.db.$transaction(async (tx) => {
      const found = await this.records.lock(tx, caseId);
      if (['closed', 'withdrawn'].includes(found.state)) {
        refuse(`A case that is '${found.state}' cannot be assigned`, { state: found.state });
      }
      await tx.provincialCase.update({
        where: { id: caseId },
        data: { caseManagerId: assignment.caseManagerId },
      });
      await tx.mdtMember.deleteMany({ where: { caseId } });
      await tx.mdtMember.createMany({
        data: assignment.mdtMembers.map((member) => ({ caseId, ...member })),
      });
      await this.outbox.append(tx, CaseAssigned, {
        caseId,
        actor,
        payload: {
          caseId,
          provinceCode: found.provinceCode,
          caseManagerId: assignment.caseManagerId,
          mdtMemberIds: assignment.mdtMembers.map((member) => member.userId),
        },
      });
    });
    return this.view(caseId);
  }

  /** A court extended the s.29 hold: recorded with its order, and the hold's deadline moves (7 days at most in all). */
  async extendHold(caseId: string, extension: HoldExtensionDto, actor: Actor) {
    const changes = new DeadlineChanges();
    await this.db.$transaction(async (tx) => {
      const found = await this.records.lock(tx, caseId);
      const hold = (await this.deadlines.pending(tx, caseId)).find(
        (deadline) => deadline.kind === DeadlineKinds.identificationHold,
      );
      if (!hold) refuse('There is no s.29 hold running on this case', { state: found.state });
      const granted = await tx.holdExtension.aggregate({ where: { caseId }, _sum: { extraDays: true } });
      const total = (granted._sum.extraDays ?? 0) + extension.extraDays;
      if (total > MAX_HOLD_EXTENSION_DAYS) {
        refuse(
          `A court may extend the hold by ${MAX_HOLD_EXTENSION_DAYS} days in all; this would make ${total}`,
          {
            state: found.state,
          },
        );
      }
      await tx.holdExtension.create({
        data: {
          id: randomUUID(),
          caseId,
          courtOrderReference: extension.courtOrderReference,
          extraDays: extension.extraDays,
          recordedBy: actor.id,
        },
      });
      await this.deadlines.extend(
        tx,
        changes,
        found,
        hold,
        addDuration(hold.dueAt, extension.extraDays, 'days'),
      );
    });
    await this.deadlines.apply(changes);
    return this.view(caseId);
  }

  async view(caseId: string) {
    const found = await this.db.provincialCase.findUnique({
      where: { id: caseId },
      include: {
        transitions: { orderBy: { id: 'asc' } },
        serviceReferrals: {
          orderBy: { createdAt: 'asc' },
          include: { transitions: { orderBy: { id: 'asc' } } },
        },
        serviceNeeds: { orderBy: { service: 'asc' } },
        mdtMembers: { orderBy: { assignedAt: 'asc' } },
        escalations: { orderBy: { raisedAt: 'asc' } },
        followUpVisits: { orderBy: { sequence: 'asc' } },
        holdExtensions: { orderBy: { recordedAt: 'asc' } },
      },
    });
    if (!found) throw new NotFoundException('No such case');
    const { transitions, serviceReferrals, ...rest } = found;
    const deadlines = await this.db.deadline.findMany({
      where: { caseId },
      orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    });
    const step = (
      transition: (typeof transitions)[number] | (typeof serviceReferrals)[number]['transitions'][number],
    ) => ({
      event: transition.event,
      from: transition.fromState,
      to: transition.toState,
      actor: {
        id: transition.actorId,
        role: transition.actorRole,
        organisationId: transition.actorOrganisation,
      },
      reason: transition.reason,
      occurredAt: transition.occurredAt,
    });
    return {
      ...rest,
      escalatedAt: escalatedSince(rest.escalations),
      deadlines,
      openServiceReferrals: serviceReferrals.filter((referral) =>
        OPEN_SERVICE_REFERRAL_STATES.includes(referral.state as ServiceReferralState),
      ).length,
      serviceReferrals: serviceReferrals.map(({ transitions: steps, ...referral }) => ({
        ...referral,
        history: steps.map(step),
      })),
      history: [
        {
          event: 'open',
          from: null,
          to: 'awaiting_acceptance',
          actor: SYSTEM_ACTOR,
          reason: null,
          occurredAt: found.openedAt,
        },
        ...transitions.map((transition) => ({ track: transition.track, ...step(transition) })),
      ],
    };
  }

  /** Cases newest first, filtered, with a keyset cursor. */
  async list(query: CaseListQuery, limit: number, visible: Prisma.ProvincialCaseWhereInput) {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const items = await this.db.provincialCase.findMany({
      where: {
        ...(query.province ? { OR: [{ provinceCode: query.province }, { transferTo: query.province }] } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...(query.urgency ? { urgency: query.urgency } : {}),
        ...(query.escalated === undefined
          ? {}
          : { escalations: query.escalated ? { some: OPEN_ESCALATION } : { none: OPEN_ESCALATION } }),
        ...(query.openedFrom || query.openedTo
          ? {
              openedAt: {
                ...(query.openedFrom ? { gte: new Date(query.openedFrom) } : {}),
                ...(query.openedTo ? { lt: new Date(query.openedTo) } : {}),
              },
            }
          : {}),
        AND: [
          visible,
          ...(after
            ? [
                {
                  OR: [
                    { openedAt: { lt: after.openedAt } },
                    { openedAt: after.openedAt, id: { lt: after.id } },
                  ],
                },
              ]
            : []),
        ],
      },
      include: { escalations: { where: OPEN_ESCALATION, select: { raisedAt: true, resolvedAt: true } } },
      orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = items
      .slice(0, limit)
      .map(({ escalations, ...item }) => ({ ...item, escalatedAt: escalatedSince(escalations) }));
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last) : null };
  }

  /** A transfer names its target when asked, and moves the case to it when accepted. */
  private ownershipAfter(current: LockedCase, event: CaseEvent, transferTo: string | undefined) {
    if (event === 'request_transfer') {
      if (!transferTo || transferTo === current.provinceCode) {
        refuse('A transfer needs another province in transferTo', { state: current.state, event });
      }
      return { provinceCode: current.provinceCode, transferTo };
    }
    if (event === 'accept_transfer')
      return { provinceCode: current.transferTo ?? current.provinceCode, transferTo: null };
    if (event === 'decline_transfer') return { provinceCode: current.provinceCode, transferTo: null };
    return { provinceCode: current.provinceCode, transferTo: current.transferTo };
  }

  private async save(
    tx: ProvinceTx,
    caseId: string,
    next: CaseSnapshot,
    ownership: { provinceCode: string; transferTo: string | null },
  ): Promise<void> {
    await tx.provincialCase.update({
      where: { id: caseId },
      data: { state: next.state, legalState: next.legal, resumeState: next.resumeState, ...ownership },
    });
  }
}
