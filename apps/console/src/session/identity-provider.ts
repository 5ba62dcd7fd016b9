import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTVerifyGetKey, jwtVerify } from 'jose';
import { actorFromClaims } from '@nrm/auth';
import { Actor } from '@nrm/contracts';
import { ConsoleSettings } from '@nrm/config';
import { PendingSignIn, randomToken } from './console-session';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

/** The identity provider refused or could not be reached: the person sees why and may try again. */
export class SignInFailed extends Error {}

/**
 * Signs people in with OpenID Connect's authorization-code flow and PKCE,
 * against whatever the issuer's discovery document names: the development
 * issuer of `npm run up` and a ministry provider alike.
 */
@Injectable()
export class IdentityProvider {
  private discovered: Promise<{ document: Discovery; keys: JWTVerifyGetKey }> | null = null;

  constructor(private readonly settings: ConsoleSettings) {}

  /** Where to send the browser, and what to remember until it comes back. */
  async authorization(
    redirectUri: string,
    returnTo: string,
  ): Promise<{ url: string; pending: PendingSignIn }> {
    const { document } = await this.discovery();
    const pending = { state: randomToken(), nonce: randomToken(), verifier: randomToken(), returnTo };
    const url = new URL(document.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.oidcClientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), pending };
  }

  /** Exchanges the code for tokens and checks the access token as the services will, and the ID token's nonce. */
  async complete(
    code: string,
    redirectUri: string,
    pending: PendingSignIn,
  ): Promise<{ accessToken: string; account: Actor }> {
    const { document, keys } = await this.discovery();
    const response = await fetch(document.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: this.settings.oidcClientId,
        code_verifier: pending.verifier,
        ...(this.settings.oidcClientSecret ? { client_secret: this.settings.oidcClientSecret } : {}),
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok)
      throw new SignInFailed(`The identity provider refused the sign-in (${response.status})`);
    const tokens = (await response.json()) as { access_token?: unknown; id_token?: unknown };
    if (typeof tokens.access_token !== 'string' || typeof tokens.id_token !== 'string')
      throw new SignInFailed('The identity provider returned no tokens');
    const options = { issuer: document.issuer, clockTolerance: 30 };
    try {
      const { payload: id } = await jwtVerify(tokens.id_token, keys, {
        ...options,
        audience: this.settings.oidcClientId,
      });
      if (id.nonce !== pending.nonce) throw new SignInFailed('The ID token answers another sign-in');
      const { payload } = await jwtVerify(tokens.access_token, keys, {
        ...options,
        audience: this.settings.oidcAudience,
      });
      return { accessToken: tokens.access_token, account: actorFromClaims(payload) };
    } catch (error) {
      if (error instanceof SignInFailed) throw error;
      throw new SignInFailed(
        `The tokens are not acceptable: ${error instanceof Error ? error.message : 'unknown'}`,
      );
    }
  }

  private discovery(): Promise<{ document: Discovery; keys: JWTVerifyGetKey }> {
    this.discovered ??= this.discover().catch((error: unknown) => {
      this.discovered = null;
      throw new SignInFailed(
        `The identity provider cannot be reached: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return this.discovered;
  }

  private async discover(): Promise<{ document: Discovery; keys: JWTVerifyGetKey }> {
    const url = `${this.settings.oidcIssuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const document = (await response.json()) as Discovery;
    return { document, keys: createRemoteJWKSet(new URL(document.jwks_uri)) };
  }
}
