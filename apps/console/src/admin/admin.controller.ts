import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Render, Res } from '@nestjs/common';
import type { Response } from 'express';
import { SERVICE_NAMES } from '@nrm/config';
import { Backends } from '../backends/backends';
import { formText } from '../pages/form-text';
import { ConsoleSession } from '../session/console-session';
import { CurrentSession } from '../session/current-session';
import { ForRoles } from '../session/page-access';

interface DeadLetter {
  id: string;
  consumer: string;
  topic: string;
  eventType: string | null;
  reason: string;
  attempts: number;
  status: string;
  createdAt: string;
}

/** The administrator's pages: dead letters of every service, replayed or discarded one by one. */
@ForRoles('admin')
@Controller('admin')
export class AdminController {
  constructor(private readonly backends: Backends) {}

  @Get('dead-letters')
  @Render('admin/dead-letters')
  async deadLetters(@CurrentSession() session: ConsoleSession) {
    const lists = await Promise.all(
      SERVICE_NAMES.map(async (service) => ({
        service,
        items: await this.backends.get<DeadLetter[]>(session, service, '/admin/dead-letters?status=pending'),
      })),
    );
    return { lists };
  }

  @Post('dead-letters/:service/:id/replay')
  async replay(
    @CurrentSession() session: ConsoleSession,
    @Param('service') service: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Res() response: Response,
  ) {
    await this.act(session, service, `/admin/dead-letters/${id}/replay`, {});
    response.redirect(303, '/admin/dead-letters');
  }

  @Post('dead-letters/:service/:id/discard')
  async discard(
    @CurrentSession() session: ConsoleSession,
    @Param('service') service: string,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: { note?: unknown },
    @Res() response: Response,
  ) {
    await this.act(session, service, `/admin/dead-letters/${id}/discard`, { note: formText(body.note) });
    response.redirect(303, '/admin/dead-letters');
  }

  private async act(session: ConsoleSession, service: string, path: string, body: object): Promise<void> {
    // Every service keeps its own dead letters; the console lists them side by side.
    const known = SERVICE_NAMES.find((candidate) => candidate === service);
    if (known) await this.backends.call(session, known, 'POST', path, { body });
  }
}
