import { Module } from '@nestjs/common';
import { ReferralProgressConsumer } from './referral-progress.consumer';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  controllers: [ReferralsController, ReferralProgressConsumer],
  providers: [ReferralsService],
})
export class ReferralsModule {}
