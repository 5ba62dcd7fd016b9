import { Module } from '@nestjs/common';
import { PlatformConfigModule } from '@nrm/config';
import { MESSAGING_HEALTH_CHECKS, MessagingModule } from '@nrm/messaging';
import { HealthModule, ObservabilityModule } from '@nrm/observability';
import { DecisionsController } from './decisions/decisions.controller';
import { DecisionsService } from './decisions/decisions.service';
import { RoutingDatabase } from './persistence/routing-database.service';

@Module({
  imports: [
    PlatformConfigModule.forService('routing'),
    ObservabilityModule.forService('routing'),
    MessagingModule.forService(RoutingDatabase),
    HealthModule.withChecks(MESSAGING_HEALTH_CHECKS),
  ],
  controllers: [DecisionsController],
  providers: [DecisionsService],
})
export class RoutingModule {}
