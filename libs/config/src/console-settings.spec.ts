import { consoleSettingsSchema, DEVELOPMENT_SESSION_SECRET } from './console-settings';

describe('console settings', () => {
  it('runs on a development machine with no setting at all', () => {
    const { error, value } = consoleSettingsSchema().validate({}) as {
      error?: Error;
      value: Record<string, unknown>;
    };
    expect(error).toBeUndefined();
    expect(value).toMatchObject({ CONSOLE_PORT: 3000, INTAKE_URL: 'http://127.0.0.1:3001' });
  });

  it('refuses, in production, the development session secret, a short one, and no identity provider', () => {
    const production = (settings: Record<string, string>) =>
      consoleSettingsSchema()
        .validate({ NODE_ENV: 'production', ...settings }, { abortEarly: false })
        .error?.details.map((detail) => detail.path.join('.'))
        .sort();
    expect(production({ CONSOLE_SESSION_SECRET: DEVELOPMENT_SESSION_SECRET })).toEqual([
      'CONSOLE_SESSION_SECRET',
      'OIDC_ISSUER',
    ]);
    expect(
      production({
        CONSOLE_SESSION_SECRET: 'too short',
        OIDC_ISSUER: 'https://sso.example.go.th/realms/nrm',
      }),
    ).toEqual(['CONSOLE_SESSION_SECRET']);
    expect(
      production({
        CONSOLE_SESSION_SECRET: 'a'.repeat(48),
        OIDC_ISSUER: 'https://sso.example.go.th/realms/nrm',
      }),
    ).toBeUndefined();
  });
});
