import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  CaseEvent,
  CaseSnapshot,
  CaseState,
  LegalState,
  OPEN_SERVICE_REFERRAL_STATES,
  ServiceReferralEvent,
  ServiceReferralState,
  transitionCase,
  transitionServiceReferral,
} from '@nrm/case-lifecycle';
import {
  Actor,
  CaseOpened,
  CaseTransitioned,
  EventEnvelope,
  ReferralRoutedPayload,
  ReferralSubmittedPayload,
  ReferralWithdrawnPayload,
  ServiceReferralTransitioned,
} from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';
import { CaseEventDto, CaseListQuery, OfferServiceDto, ServiceReferralEventDto } from './case-commands.dto';
import { decodeCursor, encodeCursor } from './page-cursor';

interface LockedCase {
  id: string;
  provinceCode: string;
  state: CaseState;
  legalState: LegalState;
  resumeState: CaseState | null;
  transferTo: string | null;
}

/** States in which services may be offered: the province has taken the case and it is not over. */
const SERVICE_STATES: readonly CaseState[] = [
  'accepted',
  'temporary_protection',
  'identification',
  'identified_victim',
  'protection',
  'reintegration',
  'follow_up',
];

function refuse(refusal: string, details: Record<string, unknown>): never {
  throw new ConflictException({ statusCode: 409, error: 'Conflict', message: refusal, ...details });
}

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    private readonly db: ProvinceDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Opens the case in the responsible province's queue and announces it. */
  async open(tx: ProvinceTx, event: EventEnvelope<ReferralRoutedPayload>): Promise<void> {
    await tx.provincialCase.create({
      data: { id: event.caseId, provinceCode: event.payload.responsibleProvince },
    });
    await this.outbox.append(tx, CaseOpened, {
      caseId: event.caseId,
      causedBy: event,
      payload: { caseId: event.caseId, provinceCode: event.payload.responsibleProvince },
    });
  }

  /** Keeps what the province must know of consent, from intake's referral. */
  async recordFacts(tx: ProvinceTx, event: EventEnvelope<ReferralSubmittedPayload>): Promise<void> {
    const facts = {
      isChild: event.payload.isChild,
      consentToShare: event.payload.consentToShare,
      consentToContact: event.payload.consentToContact,
      childBestInterestRecorded: event.payload.childBestInterestRecorded,
    };
    await tx.caseFacts.upsert({
      where: { caseId: event.caseId },
      create: { caseId: event.caseId, ...facts },
      update: facts,
    });
  }

  /** One step of the case lifecycle: checked, recorded with who and why, and announced, in one transaction. */
  async apply(caseId: string, command: CaseEventDto, actor: Actor) {
    await this.db.$transaction((tx) => this.step(tx, caseId, command, actor));
    return this.view(caseId);
  }

  /**
   * The referrer withdrew the referral: the case is withdrawn if its lifecycle
   * still allows it. Intake checks the same before it accepts a withdrawal, so a
   * refusal here means the province moved the case on in the meantime.
   */
  async withdrawnByReferrer(tx: ProvinceTx, event: EventEnvelope<ReferralWithdrawnPayload>): Promise<void> {
    try {
      await this.step(
        tx,
        event.caseId,
        { event: 'withdraw', reason: 'Withdrawn by the referrer' },
        event.actor,
      );
    } catch (error) {
      if (!(error instanceof ConflictException) && !(error instanceof NotFoundException)) throw error;
      this.logger.warn({ message: 'Withdrawal not applied', caseId: event.caseId, refusal: error.message });
    }
  }

  private async step(tx: ProvinceTx, caseId: string, command: CaseEventDto, actor: Actor): Promise<void> {
    const current = await this.lock(tx, caseId);
    const facts = await tx.caseFacts.findUnique({ where: { caseId } });
    const event = command.event as CaseEvent;
    const outcome = transitionCase(
      { state: current.state, legal: current.legalState, resumeState: current.resumeState },
      { event, ...(command.reason ? { reason: command.reason } : {}) },
      {
        consentOrBestInterest: Boolean(
          facts && (facts.consentToShare || (facts.isChild && facts.childBestInterestRecorded)),
        ),
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
  }

  /** Offers a service to an organisation; only with the consent it needs, or a logged override. */
  async offer(caseId: string, command: OfferServiceDto, actor: Actor) {
    await this.db.$transaction(async (tx) => {
      const current = await this.lock(tx, caseId);
      if (!SERVICE_STATES.includes(current.state)) {
        refuse(`Services cannot be offered when the case is '${current.state}'`, { state: current.state });
      }
      const facts = await tx.caseFacts.findUnique({ where: { caseId } });
      const consentBasis = facts?.consentToShare
        ? 'consent'
        : facts?.isChild && facts.childBestInterestRecorded
          ? 'best-interest'
          : command.overrideReason
            ? 'override'
            : null;
      if (!consentBasis) {
        refuse(
          'Sharing the case needs the person’s consent, a child’s best-interest decision, or an override with a reason',
          {
            state: current.state,
          },
        );
      }
      const id = randomUUID();
      await tx.serviceReferral.create({
        data: {
          id,
          caseId,
          service: command.service,
          organisationId: command.organisationId,
          consentBasis,
          overrideReason: consentBasis === 'override' ? (command.overrideReason ?? null) : null,
        },
      });
      await this.recordServiceStep(
        tx,
        caseId,
        { id, ...command, consentBasis },
        'offer',
        'none',
        'offered',
        actor,
        command.overrideReason,
      );
    });
    return this.view(caseId);
  }

  async applyToServiceReferral(
    caseId: string,
    serviceReferralId: string,
    command: ServiceReferralEventDto,
    actor: Actor,
  ) {
    await this.db.$transaction(async (tx) => {
      await this.lock(tx, caseId);
      const referral = await tx.serviceReferral.findFirst({ where: { id: serviceReferralId, caseId } });
      if (!referral) throw new NotFoundException('No such service referral on this case');
      const event = command.event as ServiceReferralEvent;
      const outcome = transitionServiceReferral(referral.state as ServiceReferralState, {
        event,
        ...(command.reason ? { reason: command.reason } : {}),
      });
      if (!outcome.allowed) refuse(outcome.refusal, { state: referral.state, event });
      await tx.serviceReferral.update({ where: { id: referral.id }, data: { state: outcome.next } });
      await this.recordServiceStep(
        tx,
        caseId,
        referral,
        event,
        outcome.from,
        outcome.to,
        actor,
        command.reason,
      );
    });
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
      },
    });
    if (!found) throw new NotFoundException('No such case');
    const { transitions, serviceReferrals, ...rest } = found;
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
          actor: { id: 'system', role: 'system' },
          reason: null,
          occurredAt: found.openedAt,
        },
        ...transitions.map((transition) => ({ track: transition.track, ...step(transition) })),
      ],
    };
  }

  /** Cases newest first, filtered, with a keyset cursor. */
  async list(query: CaseListQuery, limit: number) {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const items = await this.db.provincialCase.findMany({
      where: {
        ...(query.province ? { OR: [{ provinceCode: query.province }, { transferTo: query.province }] } : {}),
        ...(query.state ? { state: query.state } : {}),
        ...(query.openedFrom || query.openedTo
          ? {
              openedAt: {
                ...(query.openedFrom ? { gte: new Date(query.openedFrom) } : {}),
                ...(query.openedTo ? { lt: new Date(query.openedTo) } : {}),
              },
            }
          : {}),
        ...(after
          ? {
              AND: [
                {
                  OR: [
                    { openedAt: { lt: after.openedAt } },
                    { openedAt: after.openedAt, id: { lt: after.id } },
                  ],
                },
              ],
            }
          : {}),
      },
      orderBy: [{ openedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: items.length > limit && last ? encodeCursor(last) : null };
  }

  private async lock(tx: ProvinceTx, caseId: string): Promise<LockedCase> {
    const [found] = await tx.$queryRawUnsafe<LockedCase[]>(
      `SELECT id, province_code AS "provinceCode", state, legal_state AS "legalState", resume_state AS "resumeState",
              transfer_to AS "transferTo"
         FROM provincial_case WHERE id = $1::uuid FOR UPDATE`,
      caseId,
    );
    if (!found) throw new NotFoundException('No such case');
    return found;
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

  private async recordServiceStep(
    tx: ProvinceTx,
    caseId: string,
    referral: { id: string; service: string; organisationId: string; consentBasis: string },
    event: string,
    from: string,
    to: string,
    actor: Actor,
    reason: string | undefined,
  ): Promise<void> {
    await tx.serviceReferralTransition.create({
      data: {
        serviceReferralId: referral.id,
        event,
        fromState: from,
        toState: to,
        actorId: actor.id,
        actorRole: actor.role,
        actorOrganisation: actor.organisationId ?? null,
        reason: reason ?? null,
      },
    });
    await this.outbox.append(tx, ServiceReferralTransitioned, {
      caseId,
      actor,
      payload: {
        caseId,
        serviceReferralId: referral.id,
        service: referral.service,
        organisationId: referral.organisationId,
        event,
        from,
        to,
        consentBasis: referral.consentBasis,
      },
    });
  }
}
