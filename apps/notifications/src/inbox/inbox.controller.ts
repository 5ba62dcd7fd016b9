import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsOptional, IsUUID } from 'class-validator';
import { Actor } from '@nrm/contracts';
import { Can, RequestActor } from '@nrm/auth';
import { DEFAULT_LIST_LIMIT, ListQuery } from '@nrm/runtime';
import { LANGUAGES, Language } from '../audiences/subscriber.dto';
import { NotificationsDatabase } from '../persistence/notifications-database.service';
import { InboxReader, InboxService } from './inbox.service';

class InboxQuery extends ListQuery {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(({ value }) => value === 'true' || value === true)
  @IsBoolean()
  unread?: boolean;
}

class MarkRead {
  @ApiProperty({ description: 'Notice ids, or omit to mark everything read' })
  @IsOptional()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true })
  noticeIds?: string[];
}

@ApiTags('inbox')
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly inbox: InboxService,
    private readonly db: NotificationsDatabase,
  ) {}

  @Can('inbox.use')
  @Get()
  @ApiOperation({ summary: "The caller's in-app notices, newest first, with their unread count" })
  async list(@RequestActor() actor: Actor, @Query() query: InboxQuery) {
    const reader = await this.reader(actor);
    const [items, unread] = await Promise.all([
      this.inbox.list(reader, {
        limit: query.limit ?? DEFAULT_LIST_LIMIT,
        unreadOnly: query.unread ?? false,
      }),
      this.inbox.unreadCount(reader),
    ]);
    return { unread, items };
  }

  @Can('inbox.use')
  @Get('unread-count')
  @ApiOperation({ summary: "How many of the caller's notices are unread" })
  async unreadCount(@RequestActor() actor: Actor) {
    return { unread: await this.inbox.unreadCount(await this.reader(actor)) };
  }

  @Can('inbox.use')
  @Post('read')
  @HttpCode(200)
  @ApiOperation({ summary: "Marks the caller's notices read: those listed, or all" })
  async markRead(@RequestActor() actor: Actor, @Body() body: MarkRead) {
    const reader = await this.reader(actor);
    const marked = await this.inbox.markRead(reader, body.noticeIds ?? 'all');
    return { marked, unread: await this.inbox.unreadCount(reader) };
  }

  /** The caller's role and scope come from their token; their language from their preferences. */
  private async reader(actor: Actor): Promise<InboxReader> {
    const subscriber = await this.db.subscriber.findUnique({ where: { accountId: actor.id } });
    const language = subscriber?.language;
    return {
      accountId: actor.id,
      role: actor.role,
      provinceCode: actor.provinceCode ?? null,
      organisationId: actor.organisationId ?? null,
      language:
        language && (LANGUAGES as readonly string[]).includes(language) ? (language as Language) : 'th',
    };
  }
}
