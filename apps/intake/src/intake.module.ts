import { Module } from '@nestjs/common';
import { PlatformConfigModule } from '@nrm/config';
import { MESSAGING_HEALTH_CHECKS, MessagingModule } from '@nrm/messaging';
import { HealthModule, ObservabilityModule } from '@nrm/observability';
import { RedisCheck, SchedulingModule } from '@nrm/scheduling';
import { IntakeDatabase } from './persistence/intake-database.service';
import { OpeningDeadlineHandler } from './referrals/opening-deadline.handler';
import { ReferralsModule } from './referrals/referrals.module';

@Module({
  imports: [
    PlatformConfigModule.forService('intake'),
    ObservabilityModule.forService('intake'),
    MessagingModule.forService(IntakeDatabase),
    SchedulingModule.forService([OpeningDeadlineHandler]),
    HealthModule.withChecks([...MESSAGING_HEALTH_CHECKS, RedisCheck]),
    ReferralsModule,
  ],
})
export class IntakeModule {}
