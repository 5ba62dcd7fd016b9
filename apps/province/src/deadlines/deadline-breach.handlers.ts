import { Injectable } from '@nestjs/common';
import { Deadline, DeadlineBreachHandler } from '@nrm/scheduling';
import { EscalationsService } from '../escalations/escalations.service';
import { ServiceOffersService } from '../offers/service-offers.service';
import { ProvinceTx } from '../persistence/province-database.service';
import { CaseDeadlines } from './case-deadlines.service';
import { DeadlineKinds } from './deadline-policies';

/** A missed deadline is recorded as breached and escalated; the worker runs this once per deadline. */
@Injectable()
export class EscalatingBreach implements DeadlineBreachHandler {
  readonly kinds = [
    DeadlineKinds.acceptance,
    DeadlineKinds.transferResponse,
    DeadlineKinds.identificationHold,
    DeadlineKinds.mdtInterview,
    DeadlineKinds.followUpVisit,
  ];

  constructor(
    private readonly deadlines: CaseDeadlines,
    private readonly escalations: EscalationsService,
  ) {}

  async onBreach(tx: ProvinceTx, deadline: Deadline): Promise<void> {
    const found = await this.deadlines.recordBreach(tx, deadline);
    await this.escalations.raise(tx, found, { reason: 'deadline-breached', deadline });
  }
}

/** An unanswered offer expires, which sends it to the next organisation, and escalates. */
@Injectable()
export class OfferResponseBreach implements DeadlineBreachHandler {
  readonly kinds = [DeadlineKinds.offerResponse];

  constructor(
    private readonly deadlines: CaseDeadlines,
    private readonly offers: ServiceOffersService,
  ) {}

  async onBreach(tx: ProvinceTx, deadline: Deadline): Promise<void> {
    const found = await this.deadlines.recordBreach(tx, deadline);
    await this.offers.expire(tx, found, deadline);
  }
}

export const DEADLINE_BREACH_HANDLERS = [EscalatingBreach, OfferResponseBreach];
