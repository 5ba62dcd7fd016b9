import { Module } from '@nestjs/common';
import { PlatformModule, REFERRAL_FIELDS } from '@nrm/runtime';
import { RetentionModule } from '@nrm/scheduling';
import { IntakeRetention } from './retention/intake-retention';
import { IntakeDatabase } from './persistence/intake-database.service';
import { OpeningDeadlineHandler } from './referrals/opening-deadline.handler';
import { ReferralsModule } from './referrals/referrals.module';
import { StatisticsModule } from './statistics/statistics.module';

@Module({
  imports: [
    PlatformModule.forService({
      service: 'intake',
      database: IntakeDatabase,
      fields: REFERRAL_FIELDS,
      deadlineBreachHandlers: [OpeningDeadlineHandler],
    }),
    ReferralsModule,
    StatisticsModule,
    RetentionModule.withPolicy(IntakeRetention),
  ],
})
export class IntakeModule {}
