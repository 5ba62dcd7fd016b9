import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { CASE_TRANSITIONS } from '@nrm/case-lifecycle';
import { Actor, ReferralWithdrawn } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { OutboxWriter } from '@nrm/messaging';
import { FieldCipher, fieldCipherOf } from '@nrm/persistence';
import { Deadlines } from '@nrm/scheduling';
import { IntakeDatabase } from '../persistence/intake-database.service';
import { recordHistory } from './referral-history';
import { ReferralDetails, ReferralSubmissionService } from './referral-submission.service';
import { OPENING_DEADLINE } from './referrals.service';

/** Where the case lifecycle still allows a withdrawal. */
const WITHDRAWABLE_CASE_STATES: readonly string[] = CASE_TRANSITIONS.withdraw.from;

/**
 * The referrer withdraws a referral (the person declined, or it was made in
 * error). Once the province holds the case it applies the withdrawal to it;
 * while the referral is still being routed the referrer is asked to retry.
 */
@Injectable()
export class WithdrawalService {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly db: IntakeDatabase,
    private readonly outbox: OutboxWriter,
    private readonly deadlines: Deadlines,
    private readonly submissions: ReferralSubmissionService,
    settings: PlatformSettings,
  ) {
    this.cipher = fieldCipherOf(settings);
  }

  async withdraw(id: string, reason: string, actor: Actor): Promise<ReferralDetails> {
    await this.db.$transaction(async (tx) => {
      const [referral] = await tx.$queryRawUnsafe<
        { status: string; caseState: string | null; withdrawn: boolean }[]
      >(
        `SELECT status::text AS status, case_state AS "caseState", withdrawal_ciphertext IS NOT NULL AS withdrawn
           FROM referral WHERE id = $1::uuid AND submitted_by = $2 FOR UPDATE`,
        id,
        actor.id,
      );
      if (!referral) throw new NotFoundException('No such referral');
      if (referral.withdrawn) throw new ConflictException('This referral was already withdrawn');
      if (referral.caseState === null && !['opened', 'notified'].includes(referral.status)) {
        throw new ConflictException(
          'The referral is still being routed to a province; try again in a moment',
        );
      }
      if (referral.caseState !== null && !WITHDRAWABLE_CASE_STATES.includes(referral.caseState)) {
        throw new ConflictException(`A case that is '${referral.caseState}' can no longer be withdrawn`);
      }
      await tx.referral.update({
        where: { id },
        data: { withdrawalCiphertext: this.cipher.encrypt({ reason }) },
      });
      const event = await this.outbox.append(tx, ReferralWithdrawn, {
        caseId: id,
        actor,
        payload: { referralId: id },
      });
      await recordHistory(tx, event);
      await this.deadlines.meet(tx, [id], OPENING_DEADLINE);
    });
    return this.submissions.view(id);
  }
}
