import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { MessageKey } from '../i18n/messages';
import { SignInRequired, StaleForm } from '../session/page-access';

const PAGES: Partial<Record<number, { title: MessageKey; text: MessageKey }>> = {
  [HttpStatus.FORBIDDEN]: { title: 'forbiddenTitle', text: 'forbiddenText' },
  [HttpStatus.NOT_FOUND]: { title: 'notFoundTitle', text: 'notFoundText' },
  // A mistyped address (an id that is not one) is as good as a missing record.
  [HttpStatus.BAD_REQUEST]: { title: 'notFoundTitle', text: 'notFoundText' },
};
const UNAVAILABLE = { title: 'unavailableTitle', text: 'unavailableText' } as const;

/**
 * Failures as pages a person can act on: sign in again, a friendly 403 for
 * another role's page, not found, or try again later. Nothing of the request
 * or of a service's answer is shown or logged beyond its status.
 */
@Catch()
export class PageErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(PageErrorsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof SignInRequired) {
      const returnTo = request.method === 'GET' ? request.originalUrl : '/';
      response.redirect(303, `/sign-in?returnTo=${encodeURIComponent(returnTo)}`);
      return;
    }
    const status =
      exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    if (status >= 500)
      this.logger.error({
        message: 'A page failed',
        route: (request.route as { path?: string } | undefined)?.path,
        error: exception instanceof Error ? exception.message : String(exception),
      });
    const page =
      exception instanceof StaleForm
        ? ({ title: 'staleFormTitle', text: 'staleFormText' } as const)
        : (PAGES[status] ?? UNAVAILABLE);
    response.status(status).render('error', { status, ...page });
  }
}
