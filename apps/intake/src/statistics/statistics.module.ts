import { Module } from '@nestjs/common';
import { ReferralStatistics } from './referral-statistics';
import { StatisticsController } from './statistics.controller';

/** Figures for research, k-anonymous. */
@Module({
  controllers: [StatisticsController],
  providers: [ReferralStatistics],
})
export class StatisticsModule {}
