import {
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { mergeMap, Observable } from 'rxjs';
import { Actor } from '@nrm/contracts';
import { AuditRecord, AuditTrail } from './audit-trail';

type AuditedRequest = Request & { actor?: Actor };

const AUDITED_READ = 'nrm:audited-read';

const AUDITED_WITH_CHANGE = 'nrm:audited-with-change';

/** Marks an endpoint that returns identifying data: every read of it is recorded, with the body's `reason` if any. */
export const AuditedRead = (what: string) => SetMetadata(AUDITED_READ, what);

/**
 * Marks a change whose handler records its own entry (`ChangeAuditRecord`),
 * in the statement that makes the change (`AuditTrail.appending`), so that
 * the two commit together in one round trip; the interceptor then records
 * nothing for it.
 */
export const AuditedWithChange = () => SetMetadata(AUDITED_WITH_CHANGE, true);

/** The entry the interceptor would record for this request's change, for a handler marked `@AuditedWithChange`. */
export const ChangeAuditRecord = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuditedRequest>();
  if (!request.actor) throw new Error('ChangeAuditRecord needs an authenticated route');
  return recordOf(request, request.actor, undefined);
});

/** Who, the route and its parameters (ids and codes, never bodies), and for a read, what it was and why. */
function recordOf(request: AuditedRequest, actor: Actor, read: string | undefined): AuditRecord {
  const route = (request.route as { path?: string } | undefined)?.path ?? request.path;
  const params = Object.entries(request.params as Record<string, string>)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const reason = (request.body as { reason?: unknown } | undefined)?.reason;
  return {
    actor,
    action: read ? 'read' : 'change',
    subject: `${request.method} ${route}`,
    detail: [read, params].filter(Boolean).join(' ') || undefined,
    ...(read && typeof reason === 'string' ? { reason } : {}),
  };
}

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
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    const actor = request.actor;
    const read = this.reflector.get<string | undefined>(AUDITED_READ, context.getHandler());
    if (!actor || (request.method === 'GET' && !read)) return next.handle();
    if (this.reflector.get<boolean | undefined>(AUDITED_WITH_CHANGE, context.getHandler()))
      return next.handle();
    return next.handle().pipe(
      mergeMap(async (result: unknown) => {
        await this.trail.record(recordOf(request, actor, read));
        return result;
      }),
    );
  }
}
