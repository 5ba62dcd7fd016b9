import {
  DEVELOPMENT_ENCRYPTION_KEY,
  DEVELOPMENT_ISSUER,
  DEVELOPMENT_METRICS_TOKEN,
  settingsSchema,
} from './settings.schema';

describe('service settings', () => {
  it('has a working default for every setting on a development machine', () => {
    const { error, value } = settingsSchema('intake').validate({}) as {
      error?: Error;
      value: Record<string, unknown>;
    };
    expect(error).toBeUndefined();
    expect(value).toMatchObject({
      INTAKE_PORT: 3001,
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/nrm',
      REDIS_URL: 'redis://127.0.0.1:6379',
      FIELD_ENCRYPTION_KEY: DEVELOPMENT_ENCRYPTION_KEY,
    });
  });

  it('lists every wrong setting at once', () => {
    const { error } = settingsSchema('routing').validate(
      { KAFKA_BROKERS: 'not a broker list', ROUTING_PORT: '99999', DATABASE_URL: 'mysql://x' },
      { abortEarly: false },
    );
    expect(error?.details.map((detail) => detail.path.join('.')).sort()).toEqual([
      'DATABASE_URL',
      'KAFKA_BROKERS',
      'ROUTING_PORT',
    ]);
    expect(error?.message).toContain('"KAFKA_BROKERS" must be a comma-separated list of host:port');
  });

  it('refuses to run in production without a real encryption key, identity provider and scrape token', () => {
    const production = settingsSchema('intake');
    const problems = (settings: object) =>
      production
        .validate({ NODE_ENV: 'production', ...settings }, { abortEarly: false })
        .error?.details.map((detail) => detail.path.join('.'))
        .sort();
    expect(problems({})).toEqual(['FIELD_ENCRYPTION_KEY', 'METRICS_TOKEN', 'OIDC_ISSUER']);
    expect(
      problems({
        FIELD_ENCRYPTION_KEY: DEVELOPMENT_ENCRYPTION_KEY,
        OIDC_ISSUER: DEVELOPMENT_ISSUER,
        METRICS_TOKEN: DEVELOPMENT_METRICS_TOKEN,
      }),
    ).toEqual(['FIELD_ENCRYPTION_KEY', 'METRICS_TOKEN', 'OIDC_ISSUER']);
    expect(problems({ METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN');
    expect(
      problems({
        FIELD_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        OIDC_ISSUER: 'https://sso.example.go.th/realms/nrm',
        METRICS_TOKEN: 'a-scrape-token-from-the-secret-store',
      }),
    ).toBeUndefined();
  });
});
