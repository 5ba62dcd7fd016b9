import { Module } from '@nestjs/common';
import { PlatformConfigModule } from '@nrm/config';
import { MESSAGING_HEALTH_CHECKS, MessagingModule } from '@nrm/messaging';
import { HealthModule, ObservabilityModule } from '@nrm/observability';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { NotificationsDatabase } from './persistence/notifications-database.service';

@Module({
  imports: [
    PlatformConfigModule.forService('notifications'),
    ObservabilityModule.forService('notifications'),
    MessagingModule.forService(NotificationsDatabase),
    HealthModule.withChecks(MESSAGING_HEALTH_CHECKS),
  ],
  controllers: [InboxController],
  providers: [InboxService],
})
export class NotificationsModule {}
