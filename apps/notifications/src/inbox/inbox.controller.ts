import { Controller, Get, Query } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import {
  CaseEscalated,
  CaseOpened,
  CaseTransitioned,
  ServiceReferralTransitioned,
  Streams,
  topicOf,
} from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { DEFAULT_LIST_LIMIT, ListQuery } from '@nrm/runtime';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { InboxService } from './inbox.service';

class InboxQuery extends ListQuery {
  @IsString()
  @Length(3, 200)
  recipient!: string;
}

@ApiTags('inbox')
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly events: EventConsumer<NotificationsTx>,
    private readonly inbox: InboxService,
  ) {}

  @EventPattern(topicOf(Streams.provincialCase))
  async onCase(_data: unknown, @Ctx() context: KafkaContext): Promise<void> {
    await this.events.consume('notifications.inbox', context, [
      on(CaseOpened, (tx: NotificationsTx, event) => this.inbox.caseOpened(tx, event)),
      on(CaseTransitioned, (tx: NotificationsTx, event) => this.inbox.caseTransitioned(tx, event)),
      on(CaseEscalated, (tx: NotificationsTx, event) => this.inbox.caseEscalated(tx, event)),
      on(ServiceReferralTransitioned, (tx: NotificationsTx, event) =>
        this.inbox.serviceReferralTransitioned(tx, event),
      ),
    ]);
  }

  @Get()
  @ApiOperation({ summary: "A recipient's in-app notifications, newest first" })
  list(@Query() query: InboxQuery) {
    return this.inbox.list(query.recipient, query.limit ?? DEFAULT_LIST_LIMIT);
  }
}
