import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { Actor } from '@nrm/contracts';
import { ConsoleSettings } from '@nrm/config';

/** Who is signed in: their access token (sent to the services, never to the browser's scripts) and a CSRF token. */
export interface ConsoleSession {
  accessToken: string;
  account: Actor;
  csrf: string;
}

/** A sign-in under way: what the callback must see again (state, nonce) and the PKCE verifier. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
}

export interface SessionRequest extends Request {
  consoleSession?: ConsoleSession;
}

const SESSION_COOKIE = 'nrm_session';
const SIGN_IN_COOKIE = 'nrm_sign_in';
const SIGN_IN_MINUTES = 10;

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares a form's CSRF token with the session's in constant time. */
export function sameToken(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The session lives in the browser as an encrypted, authenticated cookie
 * (JWE, A256GCM, key derived from CONSOLE_SESSION_SECRET): httpOnly, SameSite=Lax,
 * Secure in production. Nothing is kept on the server, so any console
 * instance serves any request.
 */
@Injectable()
export class SessionCookies {
  private readonly key: Uint8Array;

  constructor(private readonly settings: ConsoleSettings) {
    this.key = createHash('sha256').update(settings.sessionSecret).digest();
  }

  async read(request: Request): Promise<ConsoleSession | undefined> {
    return this.open<ConsoleSession>(request, SESSION_COOKIE);
  }

  async start(response: Response, session: ConsoleSession): Promise<void> {
    await this.seal(response, SESSION_COOKIE, session, this.settings.sessionHours * 60);
  }

  end(response: Response): void {
    response.clearCookie(SESSION_COOKIE, this.options(0));
  }

  async readSignIn(request: Request): Promise<PendingSignIn | undefined> {
    return this.open<PendingSignIn>(request, SIGN_IN_COOKIE);
  }

  async startSignIn(response: Response, pending: PendingSignIn): Promise<void> {
    await this.seal(response, SIGN_IN_COOKIE, pending, SIGN_IN_MINUTES);
  }

  endSignIn(response: Response): void {
    response.clearCookie(SIGN_IN_COOKIE, this.options(0));
  }

  private async seal(response: Response, name: string, value: object, minutes: number): Promise<void> {
    const sealed = await new EncryptJWT({ value })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt()
      .setExpirationTime(`${minutes}m`)
      .encrypt(this.key);
    response.cookie(name, sealed, this.options(minutes * 60_000));
  }

  private async open<T>(request: Request, name: string): Promise<T | undefined> {
    const sealed = (request.cookies as Record<string, string> | undefined)?.[name];
    if (!sealed) return undefined;
    try {
      const { payload } = await jwtDecrypt(sealed, this.key);
      return payload.value as T;
    } catch {
      return undefined;
    }
  }

  private options(maxAge: number) {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      secure: this.settings.production,
      path: '/',
      ...(maxAge > 0 ? { maxAge } : {}),
    };
  }
}
