import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Joi from 'joi';
import { PROCESS_SETTINGS, QUEUE_SETTINGS, ServiceName } from './settings.schema';

/** The console's port; the services keep 3001 and up. */
export const CONSOLE_DEFAULT_PORT = 3000;

/** A development secret so that a fresh clone runs; production refuses to start with it. */
export const DEVELOPMENT_SESSION_SECRET = 'nrm-flow-development-only-console-session-secret';

const serviceUrl = (port: number) =>
  Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default(`http://127.0.0.1:${port}`);

/**
 * The web console's settings: where it listens, the identity provider it
 * signs people in with (authorization code with PKCE), the secret its session
 * cookies are encrypted with, the services it calls on their behalf, and the
 * Redis its queue board reads.
 */
export function consoleSettingsSchema(): Joi.ObjectSchema {
  return Joi.object({
    ...PROCESS_SETTINGS,
    ...QUEUE_SETTINGS,
    CONSOLE_PORT: Joi.number().port().default(CONSOLE_DEFAULT_PORT),
    CONSOLE_PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
    CONSOLE_SESSION_SECRET: Joi.string()
      .min(32)
      .when('NODE_ENV', {
        is: 'production',
        then: Joi.required().invalid(DEVELOPMENT_SESSION_SECRET),
        otherwise: Joi.optional().default(DEVELOPMENT_SESSION_SECRET),
      }),
    CONSOLE_SESSION_HOURS: Joi.number().integer().min(1).max(24).default(8),
    OIDC_CLIENT_ID: Joi.string().min(1).default('nrm-console'),
    OIDC_CLIENT_SECRET: Joi.string().min(1),
    INTAKE_URL: serviceUrl(3001),
    ROUTING_URL: serviceUrl(3002),
    PROVINCE_URL: serviceUrl(3003),
    NOTIFICATIONS_URL: serviceUrl(3004),
    OVERSIGHT_URL: serviceUrl(3005),
  });
}

/** Typed, validated console settings. */
@Injectable()
export class ConsoleSettings {
  constructor(private readonly config: ConfigService) {}

  private value<T>(key: string): T {
    return this.config.getOrThrow<T>(key);
  }

  get production(): boolean {
    return this.value<string>('NODE_ENV') === 'production';
  }
  get httpHost(): string {
    return this.value('HTTP_HOST');
  }
  get httpPort(): number {
    return this.value('CONSOLE_PORT');
  }
  /** The address people reach the console at (behind a proxy, its public one); the sign-in redirect comes back here. */
  publicUrl(listeningUrl: string): string {
    return (this.config.get<string>('CONSOLE_PUBLIC_URL') ?? listeningUrl).replace(/\/$/, '');
  }
  get sessionSecret(): string {
    return this.value('CONSOLE_SESSION_SECRET');
  }
  get sessionHours(): number {
    return this.value('CONSOLE_SESSION_HOURS');
  }
  get oidcIssuer(): string {
    return this.value('OIDC_ISSUER');
  }
  get oidcClientId(): string {
    return this.value('OIDC_CLIENT_ID');
  }
  /** Only for an identity provider that treats the console as a confidential client. */
  get oidcClientSecret(): string | undefined {
    return this.config.get<string>('OIDC_CLIENT_SECRET');
  }
  get oidcAudience(): string {
    return this.value('OIDC_AUDIENCE');
  }
  get redisUrl(): string {
    return this.value('REDIS_URL');
  }
  /** The prefix every service's queues live under: the queue board shows them all. */
  get queuePrefix(): string {
    return this.value('QUEUE_PREFIX');
  }
  /** The console calls every service's API. */
  backendUrl(backend: ServiceName): string {
    return this.value<string>(`${backend.toUpperCase()}_URL`).replace(/\/$/, '');
  }
}
