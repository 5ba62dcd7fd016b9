import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LocalisedValidationFilter } from '@nrm/runtime';
import { IntakeSettings } from '../intake-settings';
import { BatchBodyParsers } from './batch-body.parsers';
import { ReferralProgressConsumer } from './referral-progress.consumer';
import { REFERRAL_FIELDS } from './referral-fields';
import { ReferralSubmissionService } from './referral-submission.service';
import { ReferralsController } from './referrals.controller';
import { ReferralsService } from './referrals.service';

@Module({
  controllers: [ReferralsController, ReferralProgressConsumer],
  providers: [
    ReferralsService,
    ReferralSubmissionService,
    IntakeSettings,
    BatchBodyParsers,
    { provide: APP_FILTER, useValue: new LocalisedValidationFilter(REFERRAL_FIELDS) },
  ],
})
export class ReferralsModule {}
