import { Injectable, Logger, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { ConsoleSettings, ServiceName } from '@nrm/config';
import { Language } from '@nrm/runtime';
import { ConsoleSession } from '../session/console-session';
import { NotYourPage, SignInRequired } from '../session/page-access';

export interface BackendAnswer<T> {
  status: number;
  body: T;
}

/** The services' own words for a refused step (409) or invalid fields (400). */
export interface RefusalBody {
  message?: string | string[];
  errors?: { field: string; message: string }[];
}

/**
 * Calls the services' HTTP APIs as the signed-in person: their bearer token,
 * their language. The services decide what the person may do and see; the
 * console shows what they answer.
 */
@Injectable()
export class Backends {
  private readonly logger = new Logger(Backends.name);

  constructor(private readonly settings: ConsoleSettings) {}

  /** Any answer but an expired session, a refused role or a failure, which become pages of their own. */
  async call<T>(
    session: ConsoleSession,
    backend: ServiceName,
    method: string,
    path: string,
    options: { body?: unknown; language?: Language; headers?: Record<string, string> } = {},
  ): Promise<BackendAnswer<T>> {
    let response: Response;
    try {
      response = await fetch(`${this.settings.backendUrl(backend)}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${session.accessToken}`,
          accept: 'application/json',
          ...(options.language ? { 'accept-language': options.language } : {}),
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...options.headers,
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      this.logger.error({ message: 'A service did not answer', backend, error: String(error) });
      throw new ServiceUnavailableException(`${backend} did not answer`);
    }
    if (response.status === 401) throw new SignInRequired();
    if (response.status === 403) throw new NotYourPage();
    if (response.status >= 500) {
      this.logger.error({ message: 'A service failed', backend, method, status: response.status });
      throw new ServiceUnavailableException(`${backend} answered ${response.status}`);
    }
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** A read that must succeed: 404 becomes the not-found page. */
  async get<T>(session: ConsoleSession, backend: ServiceName, path: string): Promise<T> {
    const { status, body } = await this.call<T>(session, backend, 'GET', path);
    if (status === 404) throw new NotFoundException();
    if (status >= 400) throw new ServiceUnavailableException(`${backend} answered ${status} to ${path}`);
    return body;
  }
}

/** A refusal in one sentence, as the service worded it. */
export function refusalText(body: RefusalBody | undefined): string {
  const message = body?.message;
  return Array.isArray(message) ? message.join('; ') : (message ?? '');
}
