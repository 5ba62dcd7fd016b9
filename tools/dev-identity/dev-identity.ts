import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, SignJWT } from 'jose';
import { CLAIMS } from '@nrm/auth';
import { AccountClaims } from './demo-accounts';

const ALGORITHM = 'ES256';
const KEY_ID = 'nrm-flow-development';

/**
 * A development OpenID Connect issuer: a signing key, a discovery document and
 * a JWKS over HTTP, and tokens for any account. The services verify its tokens
 * exactly as they verify a ministry identity provider's (Keycloak or another).
 */
export class DevIdentity {
  private server: http.Server | null = null;

  private constructor(
    private readonly privateJwk: JWK,
    private readonly publicJwk: JWK,
    private issuerUrl: string | undefined,
  ) {}

  /** The issuer's URL: given, or learnt when listening on any free port. */
  get issuer(): string {
    if (!this.issuerUrl) throw new Error('The development identity provider is not listening yet');
    return this.issuerUrl;
  }

  /** A new key, kept in memory (tests); without an issuer, it is the address `listen` binds. */
  static async generate(issuer?: string): Promise<DevIdentity> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    return new DevIdentity(await exportJWK(privateKey), await exportJWK(publicKey), issuer);
  }

  /** The key kept in `file`, made on first use, so tokens printed by `npm run token` work with `npm run up`. */
  static async persistent(file: string, issuer: string): Promise<DevIdentity> {
    try {
      const { privateJwk, publicJwk } = JSON.parse(readFileSync(file, 'utf8')) as {
        privateJwk: JWK;
        publicJwk: JWK;
      };
      return new DevIdentity(privateJwk, publicJwk, issuer);
    } catch {
      const fresh = await DevIdentity.generate(issuer);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ privateJwk: fresh.privateJwk, publicJwk: fresh.publicJwk }), {
        mode: 0o600,
      });
      return fresh;
    }
  }

  async token(
    account: AccountClaims,
    options: { audience?: string; expiresIn?: string } = {},
  ): Promise<string> {
    const key = await importJWK(this.privateJwk, ALGORITHM);
    return new SignJWT({
      [CLAIMS.role]: account.role,
      ...(account.provinceCode ? { [CLAIMS.province]: account.provinceCode } : {}),
      ...(account.organisationId ? { [CLAIMS.organisation]: account.organisationId } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: KEY_ID, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(account.id)
      .setAudience(options.audience ?? 'nrm-flow')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '8h')
      .sign(key);
  }

  /** Serves discovery and the JWKS at the issuer's address (port 0: any free port, which becomes the issuer's). */
  async listen(port: number, host = '127.0.0.1'): Promise<void> {
    const jwks = JSON.stringify({ keys: [{ ...this.publicJwk, kid: KEY_ID, alg: ALGORITHM, use: 'sig' }] });
    this.server = http.createServer((request, response) => {
      const discovery = JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.issuer}/jwks.json` });
      const body =
        request.url === '/.well-known/openid-configuration'
          ? discovery
          : request.url === '/jwks.json'
            ? jwks
            : null;
      if (!body) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    });
    const server = this.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
    this.issuerUrl ??= `http://${host}:${(server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
