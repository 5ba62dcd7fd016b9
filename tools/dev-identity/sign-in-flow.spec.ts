import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { DevIdentity } from './dev-identity';

describe('the development issuer signs people in with the authorization code and PKCE', () => {
  let identity: DevIdentity;
  const verifier = 'a-verifier-of-enough-length-for-the-test-0123456789';
  const client = { client_id: 'nrm-console', redirect_uri: 'http://127.0.0.1:3000/sign-in/callback' };

  beforeAll(async () => {
    identity = await DevIdentity.generate();
    await identity.listen(0);
  });
  afterAll(() => identity.close());

  async function codeFor(account: string): Promise<string> {
    const chosen = await fetch(`${identity.issuer}/authorize`, {
      method: 'POST',
      body: new URLSearchParams({
        ...client,
        account,
        state: 'the-state',
        nonce: 'the-nonce',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }),
      redirect: 'manual',
    });
    expect(chosen.status).toBe(302);
    const back = new URL(chosen.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(client.redirect_uri);
    expect(back.searchParams.get('state')).toBe('the-state');
    return back.searchParams.get('code') ?? '';
  }

  const exchange = (code: string, codeVerifier = verifier) =>
    fetch(`${identity.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        ...client,
        grant_type: 'authorization_code',
        code,
        code_verifier: codeVerifier,
      }),
    });

  it('names its endpoints in discovery and lists the demonstration accounts to pick from', async () => {
    const discovery = (await (
      await fetch(`${identity.issuer}/.well-known/openid-configuration`)
    ).json()) as Record<string, unknown>;
    expect(discovery).toMatchObject({
      authorization_endpoint: `${identity.issuer}/authorize`,
      token_endpoint: `${identity.issuer}/token`,
      code_challenge_methods_supported: ['S256'],
    });
    const page = await fetch(
      `${identity.issuer}/authorize?${new URLSearchParams({ ...client, response_type: 'code', code_challenge: 'x', code_challenge_method: 'S256' }).toString()}`,
    );
    expect(await page.text()).toContain('value="coordinator-tak-1"');
    const plain = await fetch(`${identity.issuer}/authorize?${new URLSearchParams(client).toString()}`);
    expect(plain.status).toBe(400);
  });

  it("exchanges a code once, for the account's tokens, only with the matching verifier", async () => {
    const code = await codeFor('member-ngo-mae-sot');
    expect((await exchange(code, 'another-verifier-of-enough-length-0123456789')).status).toBe(400);
    const again = await codeFor('member-ngo-mae-sot');
    const answer = await exchange(again);
    expect(answer.status).toBe(200);
    const tokens = (await answer.json()) as { access_token: string; id_token: string };
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      sub: 'member-ngo-mae-sot',
      aud: 'nrm-flow',
      nrm_role: 'organisation-member',
      nrm_organisation: 'ngo-mae-sot-migrant-support',
    });
    expect(decodeJwt(tokens.id_token)).toMatchObject({ aud: 'nrm-console', nonce: 'the-nonce' });
    expect((await exchange(again)).status).toBe(400);
  });
});
