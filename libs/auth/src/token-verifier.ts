import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTVerifyGetKey, jwtVerify } from 'jose';
import { Actor } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { actorFromClaims } from './claims';

/** The key set could not be had (the identity provider is unreachable): not the caller's fault. */
export class KeySetUnavailable extends Error {}

/**
 * Verifies bearer tokens as OpenID Connect access tokens: signed by a key in
 * the issuer's JWKS, from the configured issuer, for the configured audience,
 * and not expired. Keys are fetched once and again when an unknown key id appears.
 */
@Injectable()
export class TokenVerifier {
  private keySet: Promise<JWTVerifyGetKey> | null = null;

  constructor(private readonly settings: PlatformSettings) {}

  async verify(token: string): Promise<Actor> {
    const { payload } = await jwtVerify(token, await this.keys(), {
      issuer: this.settings.oidcIssuer,
      audience: this.settings.oidcAudience,
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      clockTolerance: 30,
    });
    return actorFromClaims(payload);
  }

  private keys(): Promise<JWTVerifyGetKey> {
    this.keySet ??= this.jwksUrl().then(
      (url) => createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 }),
      (error: unknown) => {
        this.keySet = null;
        throw new KeySetUnavailable(error instanceof Error ? error.message : String(error));
      },
    );
    return this.keySet;
  }

  private async jwksUrl(): Promise<string> {
    if (this.settings.oidcJwksUrl) return this.settings.oidcJwksUrl;
    const discovery = `${this.settings.oidcIssuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`${discovery} answered ${response.status}`);
    const document = (await response.json()) as { jwks_uri?: unknown };
    if (typeof document.jwks_uri !== 'string') throw new Error(`${discovery} names no jwks_uri`);
    return document.jwks_uri;
  }
}
