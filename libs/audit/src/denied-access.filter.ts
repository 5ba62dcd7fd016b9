import {
  ArgumentsHost,
  Catch,
  ForbiddenException,
  HttpException,
  Logger,
  UnauthorizedException,
} from '@nestjs/common';
import { BaseExceptionFilter, HttpAdapterHost } from '@nestjs/core';
import type { Request } from 'express';
import { NotVisible } from '@nrm/auth';
import { Actor } from '@nrm/contracts';
import { AuditTrail } from './audit-trail';

/** Someone without a valid token. */
const ANONYMOUS = { id: 'anonymous', role: 'anonymous' };

/** Every denied access goes on the audit trail: no valid token, a role without the permission, a record out of scope. */
@Catch(UnauthorizedException, ForbiddenException, NotVisible)
export class DeniedAccessFilter extends BaseExceptionFilter {
  private readonly logger = new Logger(DeniedAccessFilter.name);

  constructor(
    private readonly trail: AuditTrail,
    adapterHost: HttpAdapterHost,
  ) {
    super(adapterHost.httpAdapter);
  }

  override catch(exception: HttpException, host: ArgumentsHost): void {
    // The answer waits for the entry, so a denial is on record before the caller hears of it.
    void this.recordDenial(exception, host).finally(() => super.catch(exception, host));
  }

  private async recordDenial(exception: HttpException, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
    try {
      await this.trail.record({
        actor: request.actor ?? ANONYMOUS,
        action: 'denied',
        subject: `${request.method} ${route}`,
        detail: [
          `status=${exception.getStatus()}`,
          ...(exception instanceof NotVisible ? [`${exception.what}=${exception.id}`] : []),
        ].join(' '),
      });
    } catch (error) {
      this.logger.error({ message: 'A denied access could not be audited', error: String(error) });
    }
  }
}
