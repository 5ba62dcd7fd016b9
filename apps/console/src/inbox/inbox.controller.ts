import { Body, Controller, Get, Post, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Backends } from '../backends/backends';
import { formText } from '../pages/form-text';
import { ConsoleSession } from '../session/console-session';
import { CurrentSession } from '../session/current-session';

interface InboxEntry {
  id: string;
  kind: string;
  caseId: string | null;
  caseReference: string | null;
  title: string;
  urgent: boolean;
  createdAt: string;
  read: boolean;
}

/** Everyone's inbox: the notices of the notifications service, linked to the case's page in this console. */
@Controller('inbox')
export class InboxController {
  constructor(private readonly backends: Backends) {}

  @Get()
  @Render('inbox/list')
  async list(@CurrentSession() session: ConsoleSession) {
    const inbox = await this.backends.get<{ unread: number; items: InboxEntry[] }>(
      session,
      'notifications',
      '/inbox?limit=200',
    );
    return {
      unread: inbox.unread,
      items: inbox.items.map((item) => ({
        ...item,
        href: item.caseId ? `/cases/${item.caseId}` : '/dashboard',
      })),
    };
  }

  /** One notice (its id in the form) or, without one, all of them. */
  @Post('read')
  async markRead(
    @CurrentSession() session: ConsoleSession,
    @Body() body: { noticeId?: unknown },
    @Res() response: Response,
  ) {
    const noticeId = formText(body.noticeId);
    await this.backends.call(session, 'notifications', 'POST', '/inbox/read', {
      body: /^[0-9a-f-]{36}$/.test(noticeId) ? { noticeIds: [noticeId] } : {},
    });
    response.redirect(303, '/inbox');
  }
}
