import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { createRemoteJWKSet, JWTPayload, JWTVerifyGetKey, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import { Actor } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { actorFromClaims } from './claims';

/** The key set could not be had (the identity provider is unreachable): not the caller's fault. */
export class KeySetUnavailable extends Error {}

/** How long a token whose signature was checked is taken on trust before it is checked again. */
const TRUSTED_FOR_MS = 60_000;
/** Tokens remembered at most: each case worker's, coordinator's and partner's current one, many times over. */
const TRUSTED_TOKENS = 10_000;

/**
 * Verifies bearer tokens as OpenID Connect access tokens: signed by a key in
 * the issuer's JWKS, from the configured issuer, for the configured audience,
 * and not expired. Keys are fetched once and again when an unknown key id appears.
 *
 * A verified token's claims are remembered (by the token's SHA-256, whole, so a
 * changed signature or claim is a different token) for a minute at most and
 * never past its expiry, as Envoy's JWT filter does: the signature check was
 * most of the cost of authenticating a request, and a case worker sends the
 * same token with every request of a surge. A key withdrawn from the JWKS is
 * honoured no longer than that minute beyond the key set's own caching.
 */
@Injectable()
export class TokenVerifier {
  private keySet: Promise<JWTVerifyGetKey> | null = null;
  private readonly trusted = new LRUCache<string, JWTPayload>({ max: TRUSTED_TOKENS });

  constructor(private readonly settings: PlatformSettings) {}

  async verify(token: string): Promise<Actor> {
    const digest = createHash('sha256').update(token).digest('base64');
    const known = this.trusted.get(digest);
    if (known) return actorFromClaims(known);
    const { payload } = await jwtVerify(token, await this.keys(), {
      issuer: this.settings.oidcIssuer,
      audience: this.settings.oidcAudience,
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
      clockTolerance: 30,
    });
    const actor = actorFromClaims(payload);
    const untilExpiry = (payload.exp ?? 0) * 1_000 - Date.now();
    if (untilExpiry > 0) this.trusted.set(digest, payload, { ttl: Math.min(TRUSTED_FOR_MS, untilExpiry) });
    return actor;
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
