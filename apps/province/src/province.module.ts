import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { RetentionModule } from '@nrm/scheduling';
import { CaseAccess } from './access/case-access';
import { CASE_COMMAND_FIELDS } from './cases/case-command-fields';
import { CaseRecords } from './cases/case-records';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { CaseDeadlines } from './deadlines/case-deadlines.service';
import { DeadlineAdminController } from './deadlines/deadline-admin.controller';
import { DEADLINE_BREACH_HANDLERS } from './deadlines/deadline-breach.handlers';
import { EscalationsController } from './escalations/escalations.controller';
import { EscalationsService } from './escalations/escalations.service';
import { FollowUpService } from './follow-up/follow-up.service';
import { ServiceOffersService } from './offers/service-offers.service';
import { ProvinceDatabase } from './persistence/province-database.service';
import { ProvinceRetention } from './retention/province-retention';

@Module({
  imports: [
    PlatformModule.forService({
      service: 'province',
      database: ProvinceDatabase,
      fields: CASE_COMMAND_FIELDS,
      deadlineBreachHandlers: DEADLINE_BREACH_HANDLERS,
    }),
    RetentionModule.withPolicy(ProvinceRetention),
  ],
  controllers: [CasesController, EscalationsController, DeadlineAdminController],
  providers: [
    ...DEADLINE_BREACH_HANDLERS,
    CaseAccess,
    CaseRecords,
    CasesService,
    CaseDeadlines,
    EscalationsService,
    FollowUpService,
    ServiceOffersService,
  ],
})
export class ProvinceModule {}
