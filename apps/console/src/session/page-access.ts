import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { ActorRole } from '@nrm/contracts';
import { navigationFor } from '../pages/navigation';
import { sameToken, SessionCookies, SessionRequest } from './console-session';

const OPEN_KEY = 'console:open';
const ROLES_KEY = 'console:roles';

/** A page anyone may open: sign-in, the language switch, health. */
export const OpenPage = () => SetMetadata(OPEN_KEY, true);

/** The roles a page is for; everyone signed in when absent. */
export const ForRoles = (...roles: ActorRole[]) => SetMetadata(ROLES_KEY, roles);

/** Nobody is signed in (or the session ended): the person is sent to sign in, then back. */
export class SignInRequired extends Error {}

/** The page belongs to another role: a friendly 403. */
export class NotYourPage extends ForbiddenException {}

/** A form without this session's CSRF token. */
export class StaleForm extends ForbiddenException {}

/**
 * Every page needs a session, except those marked open; pages for some roles
 * refuse the others; every form POST must carry the session's CSRF token.
 * The services check roles and scopes again on every call the page makes.
 */
@Injectable()
export class PageAccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionCookies,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(OPEN_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<SessionRequest>();
    const session = await this.sessions.read(request);
    if (!session) throw new SignInRequired();
    request.consoleSession = session;
    Object.assign(context.switchToHttp().getResponse<Response>().locals, {
      account: session.account,
      csrf: session.csrf,
      navigation: navigationFor(session.account.role),
    });
    const roles = this.reflector.getAllAndOverride<ActorRole[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(session.account.role)) throw new NotYourPage();
    if (request.method === 'POST' && !sameToken(session.csrf, (request.body as { _csrf?: unknown })?._csrf))
      throw new StaleForm();
    return true;
  }
}
