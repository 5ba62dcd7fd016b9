import { Controller, Get, Post, Query, Render, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ActorRole } from '@nrm/contracts';
import { ConsoleSettings } from '@nrm/config';
import { LANGUAGES } from '@nrm/runtime';
import { LANGUAGE_COOKIE } from '../i18n/page-language';
import { randomToken, SessionCookies } from './console-session';
import { IdentityProvider, SignInFailed } from './identity-provider';
import { CurrentSession } from './current-session';
import { OpenPage } from './page-access';
import type { ConsoleSession } from './console-session';

/** Each role's main page. */
export const HOME_PAGES: Partial<Record<ActorRole, string>> = {
  'case-worker': '/referrals',
  'organisation-member': '/offers',
  coordinator: '/cases',
  supervisor: '/oversight',
  admin: '/admin/dead-letters',
  auditor: '/inbox',
};

export const homeOf = (role: ActorRole) => HOME_PAGES[role] ?? '/inbox';

/** Only a path of this console: never another site (an open redirect). */
function localPath(candidate: unknown, fallback = '/'): string {
  return typeof candidate === 'string' && /^\/(?![/\\])/.test(candidate) ? candidate : fallback;
}

@Controller()
export class SignInController {
  constructor(
    private readonly identity: IdentityProvider,
    private readonly sessions: SessionCookies,
    private readonly settings: ConsoleSettings,
  ) {}

  @OpenPage()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @OpenPage()
  @Get('sign-in')
  @Render('sign-in')
  signInPage(@Query('returnTo') returnTo: unknown) {
    return { returnTo: localPath(returnTo) };
  }

  @OpenPage()
  @Get('sign-in/start')
  async start(@Query('returnTo') returnTo: unknown, @Req() request: Request, @Res() response: Response) {
    try {
      const { url, pending } = await this.identity.authorization(
        this.callbackUrl(request),
        localPath(returnTo),
      );
      await this.sessions.startSignIn(response, pending);
      response.redirect(303, url);
    } catch (error) {
      this.failed(response, error);
    }
  }

  @OpenPage()
  @Get('sign-in/callback')
  async callback(
    @Query('code') code: unknown,
    @Query('state') state: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ) {
    const pending = await this.sessions.readSignIn(request);
    this.sessions.endSignIn(response);
    try {
      if (!pending || typeof code !== 'string' || state !== pending.state)
        throw new SignInFailed('The sign-in was not started here or took too long');
      const { accessToken, account } = await this.identity.complete(code, this.callbackUrl(request), pending);
      await this.sessions.start(response, { accessToken, account, csrf: randomToken() });
      response.redirect(303, pending.returnTo === '/' ? homeOf(account.role) : pending.returnTo);
    } catch (error) {
      this.failed(response, error);
    }
  }

  @Post('sign-out')
  signOut(@Res() response: Response) {
    this.sessions.end(response);
    response.redirect(303, '/sign-in');
  }

  @OpenPage()
  @Get('language')
  switchLanguage(@Query('to') to: unknown, @Query('back') back: unknown, @Res() response: Response) {
    if ((LANGUAGES as readonly unknown[]).includes(to))
      response.cookie(LANGUAGE_COOKIE, to, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.settings.production,
        maxAge: 365 * 24 * 3_600_000,
      });
    response.redirect(303, localPath(back));
  }

  @Get()
  home(@CurrentSession() session: ConsoleSession, @Res() response: Response) {
    response.redirect(303, homeOf(session.account.role));
  }

  /** The digest's link: the supervisor's dashboard, or anyone's main page. */
  @Get('dashboard')
  dashboard(@CurrentSession() session: ConsoleSession, @Res() response: Response) {
    response.redirect(
      303,
      session.account.role === 'supervisor' ? '/oversight' : homeOf(session.account.role),
    );
  }

  private callbackUrl(request: Request): string {
    return `${this.settings.publicUrl(`${request.protocol}://${request.get('host')}`)}/sign-in/callback`;
  }

  private failed(response: Response, error: unknown): void {
    if (!(error instanceof SignInFailed)) throw error;
    response.status(401).render('sign-in', { returnTo: '/', failure: error.message });
  }
}
