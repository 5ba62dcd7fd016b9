import { Module } from '@nestjs/common';
import { PlatformModule } from '@nrm/runtime';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { NotificationsDatabase } from './persistence/notifications-database.service';

@Module({
  imports: [PlatformModule.forService({ service: 'notifications', database: NotificationsDatabase })],
  controllers: [InboxController],
  providers: [InboxService],
})
export class NotificationsModule {}
