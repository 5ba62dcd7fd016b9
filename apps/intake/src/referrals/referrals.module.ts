import { Module } from '@nestjs/common';
import { OpeningDeadlineHandler } from './opening-deadline.handler';
import { BatchBodyParsers } from './batch-body.parsers';
import { DraftsController } from './drafts.controller';
import { DraftsService } from './drafts.service';
import { ReferralProgressConsumer } from './referral-progress.consumer';
import { IdentityDisclosure } from './identity-disclosure';
import { ReferralSubmissionService } from './referral-submission.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';
import { WithdrawalService } from './withdrawal.service';

@Module({
  controllers: [DraftsController, ReferralsController, ReferralProgressConsumer],
  providers: [
    OpeningDeadlineHandler,
    ReferralsService,
    ReferralSubmissionService,
    DraftsService,
    WithdrawalService,
    IdentityDisclosure,
    BatchBodyParsers,
  ],
})
export class ReferralsModule {}
