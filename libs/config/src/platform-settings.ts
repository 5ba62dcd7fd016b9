import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ServiceName } from './settings.schema';

/** Typed, validated settings shared by every service. */
@Injectable()
export class PlatformSettings {
  constructor(
    private readonly config: ConfigService,
    readonly service: ServiceName,
  ) {}

  private value<T>(key: string): T {
    return this.config.getOrThrow<T>(key);
  }

  get httpHost(): string {
    return this.value('HTTP_HOST');
  }
  get httpPort(): number {
    return this.value(`${this.service.toUpperCase()}_PORT`);
  }
  /** Browser origins allowed to call the API (the web console's); none by default. */
  get corsOrigins(): string[] {
    return this.value<string>('CORS_ORIGINS')
      .split(',')
      .filter((origin) => origin.length > 0);
  }
  /** Requests per minute from one address before 429. */
  get rateLimitPerMinute(): number {
    return this.value('RATE_LIMIT_PER_MINUTE');
  }
  get logLevel(): string {
    return this.value('LOG_LEVEL');
  }
  get databaseUrl(): string {
    return this.value('DATABASE_URL');
  }
  get databasePoolSize(): number {
    return this.value('DATABASE_POOL_SIZE');
  }
  /** Seconds a pooled connection serves before it is replaced; 0 keeps it until it fails. */
  get databaseConnectionLifetimeSeconds(): number {
    return this.value('DATABASE_CONNECTION_LIFETIME_SECONDS');
  }
  /** Each service's tables live in the PostgreSQL schema named after it. */
  get databaseSchema(): string {
    return this.service;
  }
  get redisUrl(): string {
    return this.value('REDIS_URL');
  }
  get queuePrefix(): string {
    return this.value('QUEUE_PREFIX');
  }
  /** The Redis key prefix of every queue this service owns. */
  get queueNamespace(): string {
    return `${this.queuePrefix}:${this.service}`;
  }
  get kafkaBrokers(): string[] {
    return this.value<string>('KAFKA_BROKERS').split(',');
  }
  get kafkaTopicPrefix(): string {
    return this.config.get<string>('KAFKA_TOPIC_PREFIX') ?? '';
  }
  get kafkaGroupId(): string {
    return `${this.value<string>('KAFKA_GROUP_PREFIX')}-${this.service}`;
  }
  get kafkaClientId(): string {
    return `nrm-${this.service}`;
  }
  get kafkaSessionTimeoutMs(): number {
    return this.value('KAFKA_SESSION_TIMEOUT_MS');
  }
  get outboxPollIntervalMs(): number {
    return this.value('OUTBOX_POLL_INTERVAL_MS');
  }
  get outboxBatchSize(): number {
    return this.value('OUTBOX_BATCH_SIZE');
  }
  get outboxLingerMs(): number {
    return this.value('OUTBOX_LINGER_MS');
  }
  get consumerMaxAttempts(): number {
    return this.value('CONSUMER_MAX_ATTEMPTS');
  }
  get consumerRetryInitialMs(): number {
    return this.value('CONSUMER_RETRY_INITIAL_MS');
  }
  get consumerPartitionsConcurrently(): number {
    return this.value('CONSUMER_PARTITIONS_CONCURRENTLY');
  }
  /** Events applied in one shared transaction at most. */
  get consumerTransactionGroupSize(): number {
    return this.value('CONSUMER_TRANSACTION_GROUP_SIZE');
  }
  /** Shared transactions a service's consumer runs at once. */
  get consumerConcurrentTransactions(): number {
    return this.value('CONSUMER_CONCURRENT_TRANSACTIONS');
  }
  get deadlineReconcileIntervalMs(): number {
    return this.value('DEADLINE_RECONCILE_INTERVAL_MS');
  }
  get deadlineWindowMs(): number {
    return this.value('DEADLINE_WINDOW_MS');
  }
  get referralOpeningDeadlineMs(): number {
    return this.value('DEADLINE_REFERRAL_OPENING_MS');
  }
  /** Days after a case closes (or a referral is withdrawn) before its identifying data and free text are erased. */
  get retentionDaysAfterClosure(): number {
    return this.value('RETENTION_DAYS_AFTER_CLOSURE');
  }
  /** Days an untouched draft is kept. */
  get draftRetentionDays(): number {
    return this.value('DRAFT_RETENTION_DAYS');
  }
  /** Bangkok time of day the retention job runs. */
  get retentionTime(): string {
    return this.value('RETENTION_TIME');
  }
  /** How many days apart two referrals' found dates may be and still be flagged as possible duplicates. */
  get referralDuplicateWindowDays(): number {
    return this.value('REFERRAL_DUPLICATE_WINDOW_DAYS');
  }
  /** Bearer tokens must come from this OpenID Connect issuer... */
  get oidcIssuer(): string {
    return this.value('OIDC_ISSUER');
  }
  /** ...for this audience... */
  get oidcAudience(): string {
    return this.value('OIDC_AUDIENCE');
  }
  /** ...signed by a key from this set (by default, the one the issuer's discovery document names). */
  get oidcJwksUrl(): string | undefined {
    return this.config.get<string>('OIDC_JWKS_URL');
  }
  /** The bearer token Prometheus presents to scrape /metrics. */
  get metricsToken(): string {
    return this.value('METRICS_TOKEN');
  }
  /** Keys rotated out: still read until tools/db/rotate-keys has re-encrypted everything with the current one. */
  get previousFieldEncryptionKeys(): Buffer[] {
    return this.value<string>('FIELD_ENCRYPTION_PREVIOUS_KEYS')
      .split(',')
      .filter((key) => key.length > 0)
      .map((key) => Buffer.from(key, 'base64'));
  }
  get fieldEncryptionKey(): Buffer {
    return Buffer.from(this.value<string>('FIELD_ENCRYPTION_KEY'), 'base64');
  }
}
