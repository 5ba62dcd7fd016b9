import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccountClaims, demoAccounts } from './demo-accounts';

/** How long an authorization code may wait for its exchange. */
const CODE_LIFETIME_MS = 60_000;

interface PendingCode {
  account: AccountClaims;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  expiresAt: number;
}

/** Tokens for an account: the access token the services verify and an ID token for the client. */
export type TokenIssuer = (
  account: AccountClaims,
  idToken: { clientId: string; nonce: string | undefined },
) => Promise<{ accessToken: string; idToken: string; expiresIn: number }>;

const AUTHORIZE_PARAMETERS = [
  'client_id',
  'redirect_uri',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
] as const;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character,
  );
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function answer(response: ServerResponse, status: number, body: object): void {
  response
    .writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    .end(JSON.stringify(body));
}

/**
 * The authorization-code flow with PKCE (RFC 7636) of the development issuer:
 * instead of a password, a page to pick one of the demonstration accounts.
 * Clients use it exactly as they use a real provider's.
 */
export class DevSignInFlow {
  private readonly codes = new Map<string, PendingCode>();

  constructor(private readonly issueTokens: TokenIssuer) {}

  /** GET /authorize: the accounts to sign in as, each a button carrying the client's request on. */
  showAccounts(url: URL, response: ServerResponse): void {
    const problem = this.problemWith(url.searchParams);
    if (problem) {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(problem);
      return;
    }
    const hidden = AUTHORIZE_PARAMETERS.map((name) => {
      const value = url.searchParams.get(name);
      return value === null ? '' : `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    }).join('');
    const buttons = demoAccounts()
      .map((account) => {
        const scope = account.provinceCode ?? account.organisationId ?? '';
        return `<li><button type="submit" name="account" value="${escapeHtml(account.id)}">${escapeHtml(account.id)}</button> <span>${escapeHtml(account.role)}${scope ? ` · ${escapeHtml(scope)}` : ''}</span></li>`;
      })
      .join('');
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(
      `<!doctype html><html lang="th"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>เข้าสู่ระบบ (ทดสอบ) · Development sign-in</title>
<style>body{font-family:system-ui,sans-serif;margin:1rem;max-width:40rem}li{margin:.4rem 0;list-style:none}button{font-size:1rem;padding:.4rem .8rem}button:focus{outline:3px solid #1d4ed8}</style></head>
<body><h1>เลือกบัญชีสาธิต · Choose a demonstration account</h1>
<p>Development identity provider: no passwords, for development and tests only.</p>
<form method="post" action="/authorize">${hidden}<ul>${buttons}</ul></form></body></html>`,
    );
  }

  /** POST /authorize: the chosen account gets a one-time code, sent back to the client. */
  async choose(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await formOf(request);
    const problem = this.problemWith(form);
    const account = demoAccounts().find((candidate) => candidate.id === form.get('account'));
    if (problem || !account) {
      response
        .writeHead(400, { 'content-type': 'text/plain; charset=utf-8' })
        .end(problem ?? 'Unknown account');
      return;
    }
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      account,
      clientId: form.get('client_id') ?? '',
      redirectUri: form.get('redirect_uri') ?? '',
      codeChallenge: form.get('code_challenge') ?? '',
      nonce: form.get('nonce') ?? undefined,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    const back = new URL(form.get('redirect_uri') ?? '');
    back.searchParams.set('code', code);
    const state = form.get('state');
    if (state) back.searchParams.set('state', state);
    response.writeHead(302, { location: back.toString(), 'cache-control': 'no-store' }).end();
  }

  /** POST /token: a code, once, for the client and redirect it was issued to, with the matching PKCE verifier. */
  async exchange(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const form = await formOf(request);
    if (form.get('grant_type') !== 'authorization_code') {
      answer(response, 400, { error: 'unsupported_grant_type' });
      return;
    }
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    this.codes.delete(code);
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !pending ||
      pending.expiresAt < Date.now() ||
      pending.clientId !== form.get('client_id') ||
      pending.redirectUri !== form.get('redirect_uri') ||
      pending.codeChallenge !== challenge
    ) {
      answer(response, 400, { error: 'invalid_grant' });
      return;
    }
    const tokens = await this.issueTokens(pending.account, {
      clientId: pending.clientId,
      nonce: pending.nonce,
    });
    answer(response, 200, {
      access_token: tokens.accessToken,
      id_token: tokens.idToken,
      token_type: 'Bearer',
      expires_in: tokens.expiresIn,
    });
  }

  private problemWith(parameters: URLSearchParams): string | null {
    if (!parameters.get('client_id')) return 'client_id is required';
    const redirect = parameters.get('redirect_uri');
    if (!redirect || !URL.canParse(redirect)) return 'redirect_uri must be an absolute URL';
    if (!parameters.get('code_challenge') || parameters.get('code_challenge_method') !== 'S256')
      return 'PKCE with code_challenge_method=S256 is required';
    return null;
  }
}
