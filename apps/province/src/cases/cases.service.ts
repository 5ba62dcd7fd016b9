import { Injectable, NotFoundException } from '@nestjs/common';
import { CaseOpened, EventEnvelope, ReferralRoutedPayload } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';

@Injectable()
export class CasesService {
  constructor(
    private readonly db: ProvinceDatabase,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Opens the case in the responsible province's queue and announces it. */
  async open(tx: ProvinceTx, event: EventEnvelope<ReferralRoutedPayload>): Promise<void> {
    await tx.provincialCase.create({
      data: { id: event.caseId, provinceCode: event.payload.responsibleProvince, status: 'opened' },
    });
    await this.outbox.append(tx, CaseOpened, {
      caseId: event.caseId,
      causedBy: event,
      payload: { caseId: event.caseId, provinceCode: event.payload.responsibleProvince },
    });
  }

  list(provinceCode: string, limit: number) {
    return this.db.provincialCase.findMany({
      where: { provinceCode },
      orderBy: { openedAt: 'desc' },
      take: limit,
    });
  }

  async get(id: string) {
    const found = await this.db.provincialCase.findUnique({ where: { id } });
    if (!found) throw new NotFoundException('No such case');
    return found;
  }
}
