import { Injectable, NotFoundException } from '@nestjs/common';
import { CaseState, LegalState } from '@nrm/case-lifecycle';
import { ProvinceTx } from '../persistence/province-database.service';

export interface LockedCase {
  id: string;
  provinceCode: string;
  state: CaseState;
  legalState: LegalState;
  resumeState: CaseState | null;
  transferTo: string | null;
  urgency: string;
}

/** Reads a case for a change: locked until the transaction ends, so steps on one case never interleave. */
@Injectable()
export class CaseRecords {
  async lock(tx: ProvinceTx, caseId: string): Promise<LockedCase> {
    const [found] = await tx.$queryRawUnsafe<LockedCase[]>(
      `SELECT id, province_code AS "provinceCode", state, legal_state AS "legalState", resume_state AS "resumeState",
              transfer_to AS "transferTo", urgency
         FROM provincial_case WHERE id = $1::uuid FOR UPDATE`,
      caseId,
    );
    if (!found) throw new NotFoundException('No such case');
    return found;
  }

  /** What allows sharing the case with an organisation, if anything does yet. */
  async consentBasis(tx: ProvinceTx, caseId: string): Promise<'consent' | 'best-interest' | null> {
    const facts = await tx.caseFacts.findUnique({ where: { caseId } });
    if (facts?.consentToShare) return 'consent';
    if (facts?.isChild && facts.childBestInterestRecorded) return 'best-interest';
    return null;
  }
}
