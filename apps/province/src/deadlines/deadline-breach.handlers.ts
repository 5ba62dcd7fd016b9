import { Injectable } from '@nestjs/common';
import { Deadline, DeadlineBreachHandler } from '@nrm/scheduling';
import { CaseRecords } from '../cases/case-records';
import { EscalationsService } from '../escalations/escalations.service';
import { ServiceOffersService } from '../offers/service-offers.service';
import { ProvinceTx } from '../persistence/province-database.service';
import { CaseDeadlines } from './case-deadlines.service';
import { DeadlineKind, DeadlineKinds } from './deadline-policies';

/** A missed deadline is recorded as breached and escalated; the worker runs this once per deadline. */
@Injectable()
abstract class EscalatingBreach implements DeadlineBreachHandler {
  abstract readonly kind: DeadlineKind;

  constructor(
    protected readonly records: CaseRecords,
    protected readonly deadlines: CaseDeadlines,
    protected readonly escalations: EscalationsService,
  ) {}

  async onBreach(tx: ProvinceTx, deadline: Deadline): Promise<void> {
    const found = await this.records.lock(tx, deadline.caseId);
    await this.deadlines.announce(tx, found.provinceCode, deadline, 'breached');
    await this.act(tx, deadline);
  }

  protected act(tx: ProvinceTx, deadline: Deadline): Promise<void> {
    return this.escalations.raise(tx, deadline.caseId, { reason: 'deadline-breached', deadline });
  }
}

@Injectable()
export class AcceptanceBreach extends EscalatingBreach {
  readonly kind = DeadlineKinds.acceptance;
}

@Injectable()
export class TransferResponseBreach extends EscalatingBreach {
  readonly kind = DeadlineKinds.transferResponse;
}

@Injectable()
export class IdentificationHoldBreach extends EscalatingBreach {
  readonly kind = DeadlineKinds.identificationHold;
}

@Injectable()
export class MdtInterviewBreach extends EscalatingBreach {
  readonly kind = DeadlineKinds.mdtInterview;
}

@Injectable()
export class FollowUpVisitBreach extends EscalatingBreach {
  readonly kind = DeadlineKinds.followUpVisit;
}

/** An unanswered offer expires, which sends it to the next organisation, and escalates. */
@Injectable()
export class OfferResponseBreach extends EscalatingBreach {
  readonly kind = DeadlineKinds.offerResponse;

  constructor(
    records: CaseRecords,
    deadlines: CaseDeadlines,
    escalations: EscalationsService,
    private readonly offers: ServiceOffersService,
  ) {
    super(records, deadlines, escalations);
  }

  protected override act(tx: ProvinceTx, deadline: Deadline): Promise<void> {
    return this.offers.expire(tx, deadline);
  }
}

export const DEADLINE_BREACH_HANDLERS = [
  AcceptanceBreach,
  TransferResponseBreach,
  IdentificationHoldBreach,
  MdtInterviewBreach,
  FollowUpVisitBreach,
  OfferResponseBreach,
];
