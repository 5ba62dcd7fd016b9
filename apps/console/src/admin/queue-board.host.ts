import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { ConsoleSettings } from '@nrm/config';
import { createQueueBoard, QueueBoard } from '@nrm/operations';
import { pageHelpers, pageLanguage } from '../i18n/page-language';
import { SessionCookies } from '../session/console-session';

export const QUEUE_BOARD_PATH = '/admin/queues';

const READS = new Set(['GET', 'HEAD']);

/**
 * Bull Board over every service's queues, for administrators only. Its own
 * script changes queues with JSON calls that carry no form token, so a change
 * must come from the console's own origin (the session cookie is SameSite=Lax
 * besides): another site cannot make an administrator's browser retry or clean jobs.
 */
@Injectable()
export class QueueBoardHost implements OnApplicationShutdown {
  readonly board: QueueBoard;

  constructor(
    settings: ConsoleSettings,
    private readonly sessions: SessionCookies,
  ) {
    this.board = createQueueBoard({
      redisUrl: settings.redisUrl,
      queuePrefix: settings.queuePrefix,
      basePath: QUEUE_BOARD_PATH,
      authorize: async (request: Request) => {
        const session = await sessions.read(request);
        return session?.account.role === 'admin' && (READS.has(request.method) || sameOrigin(request));
      },
    });
  }

  /** Before the board, as on the console's own pages: sign in first; another role gets the friendly 403 page. */
  readonly gate = (request: Request, response: Response, next: NextFunction): void => {
    this.sessions
      .read(request)
      .then((session) => {
        if (!session)
          return response.redirect(303, `/sign-in?returnTo=${encodeURIComponent(QUEUE_BOARD_PATH)}`);
        if (session.account.role !== 'admin')
          return response.status(403).render('error', {
            ...pageHelpers(pageLanguage(request)),
            status: 403,
            title: 'forbiddenTitle',
            text: 'forbiddenText',
          });
        next();
      })
      .catch(next);
  };

  async onApplicationShutdown(): Promise<void> {
    await this.board.close();
  }
}

function sameOrigin(request: Request): boolean {
  const origin = request.get('origin');
  return origin !== undefined && origin === `${request.protocol}://${request.get('host')}`;
}
