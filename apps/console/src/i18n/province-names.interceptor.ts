import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { from, Observable, switchMap } from 'rxjs';
import { PROVINCES } from '@nrm/contracts';
import { ProvinceDirectory } from '../backends/province-directory';
import { SessionRequest } from '../session/console-session';
import { pageLanguage } from './page-language';

/**
 * Gives every signed-in page `provinceName(code)`: ตาก or Tak rather than
 * TH-63, in the page's language, from routing's directory. A page still
 * renders when the directory cannot be read, with the English names every
 * service knows.
 */
@Injectable()
export class ProvinceNamesInterceptor implements NestInterceptor {
  private readonly logger = new Logger(ProvinceNamesInterceptor.name);

  constructor(private readonly directory: ProvinceDirectory) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const session = request.consoleSession;
    if (!session) return next.handle();
    const names = this.directory.names(session, pageLanguage(request)).catch((error: unknown) => {
      this.logger.warn({
        message: 'Province names unavailable; pages show the English names',
        error: String(error),
      });
      return PROVINCES;
    });
    return from(names).pipe(
      switchMap((known) => {
        context.switchToHttp().getResponse<Response>().locals.provinceName = (
          code: string | null | undefined,
        ) => (code ? (known[code] ?? code) : '');
        return next.handle();
      }),
    );
  }
}
