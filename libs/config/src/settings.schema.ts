import Joi from 'joi';

export const SERVICE_NAMES = ['intake', 'routing', 'province', 'notifications', 'oversight'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * The services that work off events, behind intake. On a machine with few
 * cores they run in one process (apps/catch-up), at a lower CPU priority than
 * intake, which people wait on (docs/architecture.md, "Processes and data").
 */
export const CATCH_UP_SERVICES = [
  'routing',
  'province',
  'notifications',
  'oversight',
] as const satisfies readonly ServiceName[];
export type CatchUpService = (typeof CATCH_UP_SERVICES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  intake: 3001,
  routing: 3002,
  province: 3003,
  notifications: 3004,
  oversight: 3005,
};

/** A development key so that a fresh clone runs; production refuses to start with it. */
export const DEVELOPMENT_ENCRYPTION_KEY = Buffer.alloc(32, 'nrm-flow-development-only-key').toString(
  'base64',
);

/** The scrape token of a development machine; production refuses to start with it. */
export const DEVELOPMENT_METRICS_TOKEN = 'nrm-flow-development-metrics-token';

/** The development identity provider `npm run up` starts; production names its own issuer. */
export const DEVELOPMENT_ISSUER = 'http://127.0.0.1:3010';

const brokerList = Joi.string()
  .pattern(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/)
  .message('"KAFKA_BROKERS" must be a comma-separated list of host:port');

/** Settings every process has, the web console's included: its environment, logs, address and identity provider. */
export const PROCESS_SETTINGS = {
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
  HTTP_HOST: Joi.string().hostname().default('127.0.0.1'),
  OIDC_ISSUER: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .when('NODE_ENV', {
      is: 'production',
      then: Joi.required().invalid(DEVELOPMENT_ISSUER),
      otherwise: Joi.optional().default(DEVELOPMENT_ISSUER),
    }),
  OIDC_AUDIENCE: Joi.string().min(1).default('nrm-flow'),
};

/** Where the BullMQ queues live: the services' own, and the console's queue board over them all. */
export const QUEUE_SETTINGS = {
  REDIS_URL: Joi.string()
    .uri({ scheme: ['redis', 'rediss'] })
    .default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[a-zA-Z0-9_-]+$/)
    .default('nrm'),
};

/**
 * Every setting of every service, with a default that works on a development
 * machine (PostgreSQL and Redis on localhost). A wrong value stops the service
 * at start with every problem listed.
 */
export function settingsSchema(service: ServiceName): Joi.ObjectSchema {
  const portVariable = `${service.toUpperCase()}_PORT`;
  return Joi.object({
    ...PROCESS_SETTINGS,
    CORS_ORIGINS: Joi.string()
      .allow('')
      .pattern(/^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/)
      .message('"CORS_ORIGINS" must be a comma-separated list of http(s) origins')
      .default(''),
    RATE_LIMIT_PER_MINUTE: Joi.number().integer().min(1).default(1_200),
    [portVariable]: Joi.number().port().default(DEFAULT_PORTS[service]),
    DATABASE_URL: Joi.string()
      .uri({ scheme: ['postgres', 'postgresql'] })
      .default('postgresql://postgres@127.0.0.1:5432/nrm'),
    DATABASE_POOL_SIZE: Joi.number().integer().min(1).max(100).default(10),
    DATABASE_CONNECTION_LIFETIME_SECONDS: Joi.number().integer().min(0).max(86_400).default(30),
    ...QUEUE_SETTINGS,
    KAFKA_BROKERS: brokerList.default('127.0.0.1:9092'),
    KAFKA_TOPIC_PREFIX: Joi.string()
      .allow('')
      .pattern(/^[a-zA-Z0-9._-]*$/)
      .default(''),
    KAFKA_GROUP_PREFIX: Joi.string()
      .pattern(/^[a-zA-Z0-9._-]+$/)
      .default('nrm'),
    KAFKA_SESSION_TIMEOUT_MS: Joi.number().integer().min(3_000).max(300_000).default(30_000),
    OUTBOX_POLL_INTERVAL_MS: Joi.number().integer().min(10).max(60_000).default(500),
    OUTBOX_BATCH_SIZE: Joi.number().integer().min(1).max(10_000).default(500),
    OUTBOX_LINGER_MS: Joi.number().integer().min(0).max(1_000).default(250),
    CONSUMER_MAX_ATTEMPTS: Joi.number().integer().min(1).max(20).default(5),
    CONSUMER_RETRY_INITIAL_MS: Joi.number().integer().min(1).max(10_000).default(200),
    CONSUMER_PARTITIONS_CONCURRENTLY: Joi.number().integer().min(1).max(64).default(12),
    CONSUMER_TRANSACTION_GROUP_SIZE: Joi.number().integer().min(1).max(1_000).default(500),
    CONSUMER_CONCURRENT_TRANSACTIONS: Joi.number().integer().min(1).max(64).default(1),
    DEADLINE_RECONCILE_INTERVAL_MS: Joi.number().integer().min(100).default(60_000),
    DEADLINE_WINDOW_MS: Joi.number()
      .integer()
      .min(60_000)
      .default(24 * 3_600_000),
    DEADLINE_REFERRAL_OPENING_MS: Joi.number().integer().min(100).default(3_600_000),
    RETENTION_DAYS_AFTER_CLOSURE: Joi.number().integer().min(1).default(1_825),
    DRAFT_RETENTION_DAYS: Joi.number().integer().min(1).default(30),
    RETENTION_TIME: Joi.string()
      .pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM')
      .default('02:30'),
    REFERRAL_DUPLICATE_WINDOW_DAYS: Joi.number().integer().min(0).max(365).default(14),
    FIELD_ENCRYPTION_PREVIOUS_KEYS: Joi.string()
      .allow('')
      .custom((value: string, helpers) =>
        value
          .split(',')
          .filter((key) => key.length > 0)
          .every((key) => Buffer.from(key, 'base64').length === 32)
          ? value
          : helpers.error('any.invalid'),
      )
      .message('"FIELD_ENCRYPTION_PREVIOUS_KEYS" must be a comma-separated list of 32-byte base64 keys')
      .default(''),
    OIDC_JWKS_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    METRICS_TOKEN: Joi.string()
      .pattern(/^[\x21-\x7e]{24,}$/)
      .message('"METRICS_TOKEN" must be at least 24 printable characters without spaces')
      .when('NODE_ENV', {
        is: 'production',
        then: Joi.required().invalid(DEVELOPMENT_METRICS_TOKEN),
        otherwise: Joi.optional().default(DEVELOPMENT_METRICS_TOKEN),
      }),
    FIELD_ENCRYPTION_KEY: Joi.string()
      .base64()
      .custom((value: string, helpers) =>
        Buffer.from(value, 'base64').length === 32 ? value : helpers.error('any.invalid'),
      )
      .message('"FIELD_ENCRYPTION_KEY" must be 32 bytes, base64-encoded')
      .when('NODE_ENV', {
        is: 'production',
        then: Joi.required().invalid(DEVELOPMENT_ENCRYPTION_KEY),
        otherwise: Joi.optional().default(DEVELOPMENT_ENCRYPTION_KEY),
      }),
  });
}
