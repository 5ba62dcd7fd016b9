import { Module } from '@nestjs/common';
import { PlatformConfigModule } from '@nrm/config';
import { MESSAGING_HEALTH_CHECKS, MessagingModule } from '@nrm/messaging';
import { HealthModule, ObservabilityModule } from '@nrm/observability';
import { CasesController } from './cases/cases.controller';
import { CasesService } from './cases/cases.service';
import { ProvinceDatabase } from './persistence/province-database.service';

@Module({
  imports: [
    PlatformConfigModule.forService('province'),
    ObservabilityModule.forService('province'),
    MessagingModule.forService(ProvinceDatabase),
    HealthModule.withChecks(MESSAGING_HEALTH_CHECKS),
  ],
  controllers: [CasesController],
  providers: [CasesService],
})
export class ProvinceModule {}
