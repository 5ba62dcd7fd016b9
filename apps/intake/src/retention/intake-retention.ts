import { Injectable } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { fieldCipherOf } from '@nrm/persistence';
import { RetentionPolicy } from '@nrm/scheduling';
import { IntakeDatabase } from '../persistence/intake-database.service';

const DAY_MS = 24 * 3_600_000;
const FINISHED_CASE_STATES = ['closed', 'withdrawn'];

/**
 * Intake's retention: a referral whose case closed (or that was withdrawn)
 * before the cut-off loses the person's identity, narrative, contact details
 * and document fingerprint; its non-identifying facts stay for figures.
 * Drafts untouched for DRAFT_RETENTION_DAYS go.
 */
@Injectable()
export class IntakeRetention extends RetentionPolicy {
  constructor(
    private readonly settings: PlatformSettings,
    private readonly db: IntakeDatabase,
  ) {
    super();
  }

  async erase(closedBefore: Date, now: Date): Promise<Record<string, number>> {
    const erased = fieldCipherOf(this.settings).encrypt({ erased: true });
    const referrals = await this.db.referral.updateMany({
      where: {
        anonymisedAt: null,
        updatedAt: { lt: closedBefore },
        OR: [{ caseState: { in: FINISHED_CASE_STATES } }, { withdrawalCiphertext: { not: null } }],
      },
      data: { identityCiphertext: erased, withdrawalCiphertext: null, documentHmac: null, anonymisedAt: now },
    });
    const drafts = await this.db.referralDraft.deleteMany({
      where: { updatedAt: { lt: new Date(now.getTime() - this.settings.draftRetentionDays * DAY_MS) } },
    });
    return { referrals: referrals.count, drafts: drafts.count };
  }
}
