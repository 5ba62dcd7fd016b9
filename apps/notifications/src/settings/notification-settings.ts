import { Injectable } from '@nestjs/common';
import Joi from 'joi';

export const EXTERNAL_CHANNELS = ['email', 'webhook', 'sms', 'line'] as const;
export type ExternalChannel = (typeof EXTERNAL_CHANNELS)[number];

const timeOfDay = Joi.string().pattern(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

const schema = Joi.object({
  CONSOLE_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://127.0.0.1:3000'),
  SMTP_URL: Joi.string().uri({ scheme: ['smtp', 'smtps'] }),
  SMTP_FROM: Joi.string().default('nrm-flow <no-reply@nrm-flow.example>'),
  SMS_GATEWAY_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  SMS_GATEWAY_TOKEN: Joi.string().when('SMS_GATEWAY_URL', { is: Joi.exist(), then: Joi.required() }),
  LINE_CHANNEL_ACCESS_TOKEN: Joi.string(),
  LINE_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.line.me'),
  MESSAGE_FOLDER: Joi.string().default('.run/messages'),
  DELIVERY_MAX_ATTEMPTS: Joi.number().integer().min(1).max(30).default(8),
  DELIVERY_RETRY_INITIAL_MS: Joi.number().integer().min(10).max(3_600_000).default(10_000),
  DELIVERY_LOCK_MS: Joi.number().integer().min(1_000).max(600_000).default(30_000),
  DELIVERY_RECONCILE_INTERVAL_MS: Joi.number().integer().min(100).default(30_000),
  DELIVERY_TIMEOUT_MS: Joi.number().integer().min(100).max(120_000).default(10_000),
  WEBHOOK_DISABLE_AFTER_FAILURES: Joi.number().integer().min(1).max(1_000).default(20),
  RATE_LIMIT_EMAIL_PER_SECOND: Joi.number().integer().min(1).default(20),
  RATE_LIMIT_WEBHOOK_PER_SECOND: Joi.number().integer().min(1).default(50),
  RATE_LIMIT_SMS_PER_SECOND: Joi.number().integer().min(1).default(5),
  RATE_LIMIT_LINE_PER_SECOND: Joi.number().integer().min(1).default(20),
  REMINDER_AT_FRACTION: Joi.number().min(0.1).max(0.95).default(0.75),
  DIGEST_TIME: timeOfDay.default('08:00'),
});

interface RawSettings {
  CONSOLE_URL: string;
  SMTP_URL?: string;
  SMTP_FROM: string;
  SMS_GATEWAY_URL?: string;
  SMS_GATEWAY_TOKEN?: string;
  LINE_CHANNEL_ACCESS_TOKEN?: string;
  LINE_API_URL: string;
  MESSAGE_FOLDER: string;
  DELIVERY_MAX_ATTEMPTS: number;
  DELIVERY_RETRY_INITIAL_MS: number;
  DELIVERY_LOCK_MS: number;
  DELIVERY_RECONCILE_INTERVAL_MS: number;
  DELIVERY_TIMEOUT_MS: number;
  WEBHOOK_DISABLE_AFTER_FAILURES: number;
  RATE_LIMIT_EMAIL_PER_SECOND: number;
  RATE_LIMIT_WEBHOOK_PER_SECOND: number;
  RATE_LIMIT_SMS_PER_SECOND: number;
  RATE_LIMIT_LINE_PER_SECOND: number;
  REMINDER_AT_FRACTION: number;
  DIGEST_TIME: string;
}

/**
 * The notifications service's own settings: its channels' providers, delivery
 * retries and limits, reminders and the digest. Checked at start with every
 * problem listed; a provider left unset means the development folder adapter.
 */
@Injectable()
export class NotificationSettings {
  private readonly raw: RawSettings;

  constructor() {
    const result = schema.validate(process.env, {
      abortEarly: false,
      allowUnknown: true,
      stripUnknown: true,
    });
    if (result.error) throw new Error(`Invalid notification settings: ${result.error.message}`);
    this.raw = result.value as RawSettings;
  }

  get consoleUrl(): string {
    return this.raw.CONSOLE_URL.replace(/\/$/, '');
  }
  get smtpUrl(): string | undefined {
    return this.raw.SMTP_URL;
  }
  get smtpFrom(): string {
    return this.raw.SMTP_FROM;
  }
  get smsGateway(): { url: string; token: string } | undefined {
    const { SMS_GATEWAY_URL: url, SMS_GATEWAY_TOKEN: token } = this.raw;
    return url && token ? { url, token } : undefined;
  }
  get line(): { apiUrl: string; accessToken: string } | undefined {
    const accessToken = this.raw.LINE_CHANNEL_ACCESS_TOKEN;
    return accessToken ? { apiUrl: this.raw.LINE_API_URL.replace(/\/$/, ''), accessToken } : undefined;
  }
  get messageFolder(): string {
    return this.raw.MESSAGE_FOLDER;
  }
  get deliveryMaxAttempts(): number {
    return this.raw.DELIVERY_MAX_ATTEMPTS;
  }
  get deliveryRetryInitialMs(): number {
    return this.raw.DELIVERY_RETRY_INITIAL_MS;
  }
  get deliveryLockMs(): number {
    return this.raw.DELIVERY_LOCK_MS;
  }
  get deliveryReconcileIntervalMs(): number {
    return this.raw.DELIVERY_RECONCILE_INTERVAL_MS;
  }
  get deliveryTimeoutMs(): number {
    return this.raw.DELIVERY_TIMEOUT_MS;
  }
  get webhookDisableAfterFailures(): number {
    return this.raw.WEBHOOK_DISABLE_AFTER_FAILURES;
  }
  ratePerSecond(channel: ExternalChannel): number {
    const limits: Record<ExternalChannel, number> = {
      email: this.raw.RATE_LIMIT_EMAIL_PER_SECOND,
      webhook: this.raw.RATE_LIMIT_WEBHOOK_PER_SECOND,
      sms: this.raw.RATE_LIMIT_SMS_PER_SECOND,
      line: this.raw.RATE_LIMIT_LINE_PER_SECOND,
    };
    return limits[channel];
  }
  /** How far through the time allowed a reminder goes out (0.75: when a quarter is left). */
  get reminderAtFraction(): number {
    return this.raw.REMINDER_AT_FRACTION;
  }
  /** Bangkok time of day, HH:MM. */
  get digestTime(): string {
    return this.raw.DIGEST_TIME;
  }
}
