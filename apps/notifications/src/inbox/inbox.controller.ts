import { Controller, Get, Query } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { CaseOpened, Streams, topicOf } from '@nrm/contracts';
import { EventConsumer, on } from '@nrm/messaging';
import { NotificationsTx } from '../persistence/notifications-database.service';
import { InboxService } from './inbox.service';

class InboxQuery {
  @IsString()
  @Length(3, 200)
  recipient!: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
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
    ]);
  }

  @Get()
  @ApiOperation({ summary: "A recipient's in-app notifications, newest first" })
  list(@Query() query: InboxQuery) {
    return this.inbox.list(query.recipient, query.limit ?? 100);
  }
}
