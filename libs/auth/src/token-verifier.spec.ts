import { ConfigService } from '@nestjs/config';
import { errors } from 'jose';
import { PlatformSettings } from '@nrm/config';
import { demoAccount } from '../../../tools/dev-identity/demo-accounts';
import { DevIdentity } from '../../../tools/dev-identity/dev-identity';
import { TokenVerifier } from './token-verifier';

/** The same token with one character of the given part (0 header, 1 claims, 2 signature) changed. */
function altered(token: string, part: number): string {
  const parts = token.split('.');
  const segment = parts[part];
  const middle = Math.floor(segment.length / 2);
  parts[part] =
    `${segment.slice(0, middle)}${segment[middle] === 'A' ? 'B' : 'A'}${segment.slice(middle + 1)}`;
  return parts.join('.');
}

describe('TokenVerifier', () => {
  let identity: DevIdentity;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    identity = await DevIdentity.generate();
    await identity.listen(0);
    verifier = new TokenVerifier(
      new PlatformSettings(
        new ConfigService({ OIDC_ISSUER: identity.issuer, OIDC_AUDIENCE: 'nrm-flow' }),
        'intake',
      ),
    );
  });

  afterAll(() => identity.close());

  it('keeps accepting a verified token, and refuses one whose signature or claims were changed since', async () => {
    const coordinator = demoAccount('coordinator-tak-1');
    const token = await identity.token(coordinator);
    const expected = { id: coordinator.id, role: 'coordinator', provinceCode: 'TH-63' };

    await expect(verifier.verify(token)).resolves.toEqual(expected);
    await expect(verifier.verify(token)).resolves.toEqual(expected);
    await expect(verifier.verify(altered(token, 2))).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    );
    await expect(verifier.verify(altered(token, 1))).rejects.toThrow();
    await expect(verifier.verify(token)).resolves.toEqual(expected);
  });

  it('refuses a token for another audience although the same account’s token was accepted', async () => {
    const caseWorker = demoAccount('case-worker-police-tak');
    await expect(verifier.verify(await identity.token(caseWorker))).resolves.toMatchObject({
      id: caseWorker.id,
    });
    await expect(
      verifier.verify(await identity.token(caseWorker, { audience: 'another-system' })),
    ).rejects.toBeInstanceOf(errors.JWTClaimValidationFailed);
  });
});
