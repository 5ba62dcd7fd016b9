import { CallHandler, ExecutionContext, Injectable, NestInterceptor, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { mergeMap, Observable } from 'rxjs';
import { Actor } from '@nrm/contracts';
import { AuditTrail } from './audit-trail';

const AUDITED_READ = 'nrm:audited-read';

const AUDITED_WITH_CHANGE = 'nrm:audited-with-change';

/** Marks an endpoint that returns identifying data: every read of it is recorded, with the body's `reason` if any. */
export const AuditedRead = (what: string) => SetMetadata(AUDITED_READ, what);

/**
 * Marks a change whose handler records its own entry, in the statement that
 * makes the change (`AuditTrail.appending`), so that the two commit together
 * in one round trip; the interceptor then records nothing for it.
 */
export const AuditedWithChange = () => SetMetadata(AUDITED_WITH_CHANGE, true);

/**
 * Records every successful change (any method but GET) and every read of an
 * endpoint marked @AuditedRead, with who, the route and its parameters (ids
 * and codes, never bodies). An entry that cannot be written fails the request.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly trail: AuditTrail,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<Request & { actor?: Actor }>();
    const actor = request.actor;
    const read = this.reflector.get<string | undefined>(AUDITED_READ, context.getHandler());
    if (!actor || (request.method === 'GET' && !read)) return next.handle();
    if (this.reflector.get<boolean | undefined>(AUDITED_WITH_CHANGE, context.getHandler()))
      return next.handle();
    const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
    const subject = `${request.method} ${route}`;
    const params = Object.entries(request.params as Record<string, string>)
      .map(([name, value]) => `${name}=${value}`)
      .join(' ');
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        const reason = (request.body as { reason?: unknown } | undefined)?.reason;
        await this.trail.record({
          actor,
          action: read ? 'read' : 'change',
          subject,
          detail: [read, params].filter(Boolean).join(' ') || undefined,
          ...(read && typeof reason === 'string' ? { reason } : {}),
        });
        return result;
      }),
    );
  }
}
