import { AsyncLocalStorage } from 'node:async_hooks';

const storage = new AsyncLocalStorage<string>();

/**
 * Runs `work` as one of the services a process hosts: every log line written
 * inside it, and in every callback it schedules (consumer loops, workers,
 * timers, requests), names that service. nestjs-pino keeps one logger per
 * process for lines written outside a request, so when apps/catch-up hosts
 * four services the name cannot be a fixed field of that logger.
 */
export function asService<T>(service: string, work: () => T): T {
  return storage.run(service, work);
}

export function currentService(): string | undefined {
  return storage.getStore();
}
