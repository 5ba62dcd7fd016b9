import { ForbiddenException, Injectable } from '@nestjs/common';
import { NotVisible } from '@nrm/auth';
import { Actor } from '@nrm/contracts';
import { ProvinceDatabase } from '../persistence/province-database.service';
import { Prisma } from '../persistence/generated/client';
import { factsFor } from './service-facts';

/** Steps the province asked to take a case takes, not the one that holds it. */
const TRANSFER_ANSWERS = new Set(['accept_transfer', 'decline_transfer']);

interface CaseView {
  id: string;
  serviceReferrals: { id: string; organisationId: string; service: string; consentBasis: string }[];
  serviceNeeds: { service: string; organisationId: string | null }[];
  deadlines: { subjectId: string }[];
}

/**
 * Which cases each role sees and may act on, in one place:
 * - a coordinator: the cases of their province, and those another province asks them to take;
 * - a supervisor: every case (to read);
 * - an organisation member: only cases offered to their organisation, and of those only
 *   their own offers.
 * A case outside what one may see is answered 404, so a refusal does not tell whether it exists.
 */
@Injectable()
export class CaseAccess {
  constructor(private readonly db: ProvinceDatabase) {}

  visibleWhere(actor: Actor): Prisma.ProvincialCaseWhereInput {
    switch (actor.role) {
      case 'supervisor':
        return {};
      case 'coordinator':
        return { OR: [{ provinceCode: actor.provinceCode }, { transferTo: actor.provinceCode }] };
      case 'organisation-member':
        return { serviceReferrals: { some: { organisationId: actor.organisationId } } };
      case 'case-worker':
      case 'admin':
      case 'auditor':
      case 'system':
        return { id: { in: [] } };
    }
  }

  /** The case if the actor may see it, else 404. */
  async visible(actor: Actor, caseId: string): Promise<{ provinceCode: string; transferTo: string | null }> {
    const found = await this.db.provincialCase.findFirst({
      where: { AND: [{ id: caseId }, this.visibleWhere(actor)] },
      select: { provinceCode: true, transferTo: true },
    });
    if (!found) throw new NotVisible('case', caseId);
    return found;
  }

  /** Casework is the holding province's; answering a transfer is the asked province's. */
  async mayManage(actor: Actor, caseId: string, event?: string): Promise<void> {
    const found = await this.visible(actor, caseId);
    // With no transfer pending, the holding province hears from the lifecycle why the step does not apply.
    const answersTransfer = event !== undefined && TRANSFER_ANSWERS.has(event) && found.transferTo !== null;
    const province = answersTransfer ? found.transferTo : found.provinceCode;
    if (actor.role !== 'coordinator' || actor.provinceCode !== province)
      throw new ForbiddenException(
        answersTransfer
          ? 'Only the province asked may answer a transfer'
          : 'Only the province holding the case may do this',
      );
  }

  /** An organisation answers its own offers; the holding province's coordinators may revoke them. */
  async mayAnswer(actor: Actor, caseId: string, serviceReferralId: string): Promise<void> {
    if (actor.role === 'coordinator') return this.mayManage(actor, caseId);
    const offer = await this.db.serviceReferral.findFirst({
      where: { id: serviceReferralId, caseId, organisationId: actor.organisationId ?? '' },
      select: { id: true },
    });
    if (actor.role !== 'organisation-member' || !offer)
      throw new NotVisible('service referral', serviceReferralId);
  }

  /**
   * What of a case the actor may read: an organisation sees only its own
   * offers, and of the person only what those services need and the consent allows.
   */
  async project<V extends CaseView>(actor: Actor, view: V) {
    if (actor.role !== 'organisation-member') return view;
    const facts = await this.db.caseFacts.findUnique({ where: { caseId: view.id } });
    const own = view.serviceReferrals.filter((referral) => referral.organisationId === actor.organisationId);
    const services = new Set(own.map((referral) => referral.service));
    const offerIds = new Set(own.map((referral) => referral.id));
    const { id, state, provinceCode, urgency } = view as V & {
      state: string;
      provinceCode: string;
      urgency: string;
    };
    return {
      id,
      state,
      provinceCode,
      urgency,
      serviceReferrals: own,
      facts: factsFor(facts, own),
      serviceNeeds: view.serviceNeeds.filter(
        (need) => services.has(need.service) && need.organisationId === actor.organisationId,
      ),
      deadlines: view.deadlines.filter((deadline) => offerIds.has(deadline.subjectId)),
    };
  }
}
