import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEnvelope, ReferralRouted, ReferralSubmittedPayload } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { RoutingDatabase, RoutingTx } from '../persistence/routing-database.service';
import { decideProvince } from './province-rules';

@Injectable()
export class DecisionsService {
  constructor(
    private readonly db: RoutingDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Decides which province is responsible, stores why, and announces it. */
  async route(tx: RoutingTx, event: EventEnvelope<ReferralSubmittedPayload>): Promise<void> {
    const decision = decideProvince(event.payload);
    await tx.routingDecision.create({
      data: {
        referralId: event.payload.referralId,
        responsibleProvince: decision.responsibleProvince,
        ruleVersion: decision.ruleVersion,
        explanation: decision.explanation,
      },
    });
    await this.outbox.append(tx, ReferralRouted, {
      caseId: event.caseId,
      causedBy: event,
      payload: {
        referralId: event.payload.referralId,
        responsibleProvince: decision.responsibleProvince,
        ruleVersion: decision.ruleVersion,
        matchedRules: decision.matchedRules,
      },
    });
  }

  async get(referralId: string) {
    const decision = await this.db.routingDecision.findUnique({ where: { referralId } });
    if (!decision) throw new NotFoundException('No routing decision for this referral');
    return decision;
  }
}
