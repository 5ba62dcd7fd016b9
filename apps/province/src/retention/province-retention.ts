import { Injectable } from '@nestjs/common';
import { RetentionPolicy } from '@nrm/scheduling';
import { ProvinceDatabase } from '../persistence/province-database.service';

const FINISHED_STATES = ['closed', 'withdrawn'];

/**
 * The province's retention: a case closed before the cut-off keeps its states,
 * dates and facts for figures, but loses the free text staff wrote, which may
 * name people: step and offer reasons, and escalation resolutions.
 */
@Injectable()
export class ProvinceRetention extends RetentionPolicy {
  constructor(private readonly db: ProvinceDatabase) {
    super();
  }

  async erase(closedBefore: Date, now: Date): Promise<Record<string, number>> {
    return this.db.$transaction(async (tx) => {
      const due = await tx.provincialCase.findMany({
        where: { anonymisedAt: null, state: { in: FINISHED_STATES }, updatedAt: { lt: closedBefore } },
        select: { id: true },
      });
      const caseId = { in: due.map((found) => found.id) };
      await tx.caseTransition.updateMany({
        where: { caseId, reason: { not: null } },
        data: { reason: null },
      });
      await tx.serviceReferralTransition.updateMany({
        where: { serviceReferral: { caseId }, reason: { not: null } },
        data: { reason: null },
      });
      await tx.serviceReferral.updateMany({
        where: { caseId, overrideReason: { not: null } },
        data: { overrideReason: null },
      });
      await tx.escalation.updateMany({
        where: { caseId, resolution: { not: null } },
        data: { resolution: null },
      });
      const cases = await tx.provincialCase.updateMany({
        where: { id: caseId },
        data: { anonymisedAt: now },
      });
      return { cases: cases.count };
    });
  }
}
