import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  SERVICE_STATES,
  ServiceReferralEvent,
  ServiceReferralState,
  transitionServiceReferral,
} from '@nrm/case-lifecycle';
import {
  Actor,
  EventEnvelope,
  ServiceOfferRoutedPayload,
  ServiceReferralTransitioned,
  SYSTEM_ACTOR,
} from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { Deadline, DeadlineChanges } from '@nrm/scheduling';
import { CaseRecords, LockedCase } from '../cases/case-records';
import { OfferServiceDto, ServiceReferralEventDto } from '../cases/case-commands.dto';
import { refuse } from '../cases/refusal';
import { CaseDeadlines } from '../deadlines/case-deadlines.service';
import { DeadlineKinds } from '../deadlines/deadline-policies';
import { EscalationsService } from '../escalations/escalations.service';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';

interface NewOffer {
  service: string;
  organisationId: string;
  attempt: number;
  consentBasis: string;
  overrideReason?: string;
}

/**
 * Service offers: the ones routing planned go out when the province accepts
 * the case, each with a response deadline; a declined or expired offer is
 * replaced by routing's next choice; a coordinator may offer others.
 */
@Injectable()
export class ServiceOffersService {
  constructor(
    private readonly db: ProvinceDatabase,
    private readonly outbox: OutboxWriter,
    private readonly records: CaseRecords,
    private readonly deadlines: CaseDeadlines,
    private readonly escalations: EscalationsService,
  ) {}

  /** Sends every planned offer that can go: an organisation was found and sharing is allowed. */
  async sendPlanned(tx: ProvinceTx, changes: DeadlineChanges, found: LockedCase): Promise<void> {
    const planned = await tx.serviceNeed.findMany({ where: { caseId: found.id, status: 'planned' } });
    const consentBasis = await this.records.consentBasis(tx, found.id);
    for (const need of planned) {
      if (!need.organisationId) continue;
      if (!consentBasis) {
        await tx.serviceNeed.update({
          where: { caseId_service: { caseId: found.id, service: need.service } },
          data: { status: 'withheld' },
        });
        continue;
      }
      await this.offerTo(
        tx,
        changes,
        found,
        {
          service: need.service,
          organisationId: need.organisationId,
          attempt: need.attempt,
          consentBasis,
        },
        SYSTEM_ACTOR,
      );
      await tx.serviceNeed.update({
        where: { caseId_service: { caseId: found.id, service: need.service } },
        data: { status: 'offered' },
      });
    }
  }

  /** Routing chose the next organisation for a service (or found none, which escalates). */
  async nextOrganisation(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    event: EventEnvelope<ServiceOfferRoutedPayload>,
  ): Promise<void> {
    const { service, organisationId, attempt } = event.payload;
    const found = await this.records.lock(tx, event.caseId);
    const key = { caseId_service: { caseId: found.id, service } };
    if (!organisationId) {
      await tx.serviceNeed.upsert({
        where: key,
        create: { caseId: found.id, service, status: 'unavailable', organisationId: null, attempt },
        update: { status: 'unavailable', organisationId: null, attempt },
      });
      await this.escalations.raise(tx, found, { reason: 'no-provider', service });
      return;
    }
    const consentBasis = await this.records.consentBasis(tx, found.id);
    const canOffer = SERVICE_STATES.includes(found.state) && consentBasis;
    await tx.serviceNeed.upsert({
      where: key,
      create: {
        caseId: found.id,
        service,
        status: canOffer ? 'offered' : 'planned',
        organisationId,
        attempt,
      },
      update: { status: canOffer ? 'offered' : 'planned', organisationId, attempt },
    });
    if (canOffer) {
      await this.offerTo(
        tx,
        changes,
        found,
        { service, organisationId, attempt, consentBasis },
        SYSTEM_ACTOR,
      );
    }
  }

  /** A coordinator offers a service; only with the consent it needs, or a logged override. */
  async offer(caseId: string, command: OfferServiceDto, actor: Actor): Promise<void> {
    const changes = new DeadlineChanges();
    await this.db.$transaction(async (tx) => {
      const found = await this.records.lock(tx, caseId);
      if (!SERVICE_STATES.includes(found.state)) {
        refuse(`Services cannot be offered when the case is '${found.state}'`, { state: found.state });
      }
      const consentBasis =
        (await this.records.consentBasis(tx, caseId)) ?? (command.overrideReason ? 'override' : null);
      if (!consentBasis) {
        refuse(
          'Sharing the case needs the person’s consent, a child’s best-interest decision, or an override with a reason',
          { state: found.state },
        );
      }
      const previous = await tx.serviceReferral.count({ where: { caseId, service: command.service } });
      await this.offerTo(
        tx,
        changes,
        found,
        {
          service: command.service,
          organisationId: command.organisationId,
          attempt: previous + 1,
          consentBasis,
          ...(consentBasis === 'override' && command.overrideReason
            ? { overrideReason: command.overrideReason }
            : {}),
        },
        actor,
      );
    });
    await this.deadlines.apply(changes);
  }

  async apply(caseId: string, serviceReferralId: string, command: ServiceReferralEventDto, actor: Actor) {
    const changes = new DeadlineChanges();
    await this.db.$transaction(async (tx) => {
      const found = await this.records.lock(tx, caseId);
      const referral = await tx.serviceReferral.findFirst({ where: { id: serviceReferralId, caseId } });
      if (!referral) throw new NotFoundException('No such service referral on this case');
      await this.step(
        tx,
        changes,
        found,
        referral,
        command.event as ServiceReferralEvent,
        actor,
        command.reason,
      );
    });
    await this.deadlines.apply(changes);
  }

  /** The response deadline passed: the offer expires (routing then offers the next organisation) and escalates. */
  async expire(tx: ProvinceTx, found: LockedCase, deadline: Deadline): Promise<void> {
    const referral = await tx.serviceReferral.findUnique({ where: { id: deadline.subjectId } });
    if (referral?.state !== 'offered') return;
    const changes = new DeadlineChanges();
    await this.step(tx, changes, found, referral, 'expire', SYSTEM_ACTOR, undefined);
    await this.escalations.raise(tx, found, {
      reason: 'deadline-breached',
      deadline,
      service: referral.service,
    });
  }

  private async step(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    found: LockedCase,
    referral: { id: string; service: string; organisationId: string; consentBasis: string; state: string },
    event: ServiceReferralEvent,
    actor: Actor,
    reason: string | undefined,
  ): Promise<void> {
    const outcome = transitionServiceReferral(referral.state as ServiceReferralState, {
      event,
      ...(reason ? { reason } : {}),
    });
    if (!outcome.allowed) refuse(outcome.refusal, { state: referral.state, event });
    await tx.serviceReferral.update({ where: { id: referral.id }, data: { state: outcome.next } });
    if (outcome.from === 'offered') {
      await this.deadlines.settle(tx, changes, found, [DeadlineKinds.offerResponse], {
        subjectId: referral.id,
        as: event === 'expire' ? 'cancelled' : 'met',
      });
    }
    await this.record(tx, found, referral, event, outcome.from, outcome.to, actor, reason);
  }

  private async offerTo(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    found: LockedCase,
    offer: NewOffer,
    actor: Actor,
  ): Promise<void> {
    const id = randomUUID();
    const referral = {
      id,
      caseId: found.id,
      service: offer.service,
      organisationId: offer.organisationId,
      attempt: offer.attempt,
      consentBasis: offer.consentBasis,
      overrideReason: offer.overrideReason ?? null,
    };
    await tx.serviceReferral.create({ data: referral });
    await this.record(tx, found, referral, 'offer', 'none', 'offered', actor, offer.overrideReason);
    await this.deadlines.set(tx, changes, found, DeadlineKinds.offerResponse, { subjectId: id });
  }

  private async record(
    tx: ProvinceTx,
    found: LockedCase,
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
      caseId: found.id,
      actor,
      payload: {
        caseId: found.id,
        serviceReferralId: referral.id,
        provinceCode: found.provinceCode,
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
