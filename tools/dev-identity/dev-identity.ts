import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, JWK, SignJWT } from 'jose';
import { CLAIMS } from '@nrm/auth';
import { AccountClaims } from './demo-accounts';
import { DevSignInFlow } from './sign-in-flow';

const ALGORITHM = 'ES256';
const KEY_ID = 'nrm-flow-development';
const TOKEN_LIFETIME_SECONDS = 8 * 3_600;

/**
 * A development OpenID Connect issuer: a signing key, a discovery document, a
 * JWKS, the authorization-code flow with PKCE (the web console signs in through
 * it, picking a demonstration account), and tokens for any account. The
 * services verify its tokens exactly as they verify a ministry identity
 * provider's (Keycloak or another).
 */
export class DevIdentity {
  private server: http.Server | null = null;
  private readonly signIn = new DevSignInFlow(async (account, { clientId, nonce }) => ({
    accessToken: await this.token(account),
    idToken: await this.token(account, { audience: clientId, extraClaims: nonce ? { nonce } : {} }),
    expiresIn: TOKEN_LIFETIME_SECONDS,
  }));

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
    options: { audience?: string; expiresIn?: string; extraClaims?: Record<string, string> } = {},
  ): Promise<string> {
    const key = await importJWK(this.privateJwk, ALGORITHM);
    return new SignJWT({
      ...options.extraClaims,
      [CLAIMS.role]: account.role,
      ...(account.provinceCode ? { [CLAIMS.province]: account.provinceCode } : {}),
      ...(account.organisationId ? { [CLAIMS.organisation]: account.organisationId } : {}),
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: KEY_ID, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(account.id)
      .setAudience(options.audience ?? 'nrm-flow')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? `${TOKEN_LIFETIME_SECONDS}s`)
      .sign(key);
  }

  /** Serves discovery, the JWKS and the sign-in flow at the issuer's address (port 0: any free port, which becomes the issuer's). */
  async listen(port: number, host = '127.0.0.1'): Promise<void> {
    const jwks = JSON.stringify({ keys: [{ ...this.publicJwk, kid: KEY_ID, alg: ALGORITHM, use: 'sig' }] });
    this.server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', this.issuer);
      const route = `${request.method} ${url.pathname}`;
      if (route === 'GET /authorize') return this.signIn.showAccounts(url, response);
      if (route === 'POST /authorize') return void this.signIn.choose(request, response);
      if (route === 'POST /token') return void this.signIn.exchange(request, response);
      const body =
        route === 'GET /.well-known/openid-configuration'
          ? JSON.stringify(this.discovery())
          : route === 'GET /jwks.json'
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

  private discovery() {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/jwks.json`,
      authorization_endpoint: `${this.issuer}/authorize`,
      token_endpoint: `${this.issuer}/token`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [ALGORITHM],
      token_endpoint_auth_methods_supported: ['none', 'client_secret_post'],
    };
  }

  async close(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
