const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Prisma: can't reach server, timed out, closed, connection pool timeout; transaction API errors under load. */
const TRANSIENT_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);
/**
 * PostgreSQL classes 08 (connection), 53 (resources), 57P (shutdown), serialization/deadlock, and
 * lock_not_available (a lock_timeout while another process holds a lock for a while, as a rebuild does).
 */
const TRANSIENT_SQLSTATE = /^(08|53|57P|40001|40P01|55P03)/;

const MESSAGE_HINTS = [
  'Connection terminated',
  'connection timeout',
  'Timed out fetching a new connection',
  'terminating connection',
  'the database system is starting up',
  'the database system is shutting down',
  "Can't reach database server",
  'Transaction already closed',
  'Transaction API error',
];

/**
 * True when an error says the database (or the network to it) is unavailable,
 * not that the work is wrong: such work must wait and retry, never be
 * dead-lettered.
 */
export function isTransientInfrastructureError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const candidate = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      originalCode?: unknown;
      meta?: { driverAdapterError?: unknown };
    };
    for (const code of [candidate.code, candidate.originalCode]) {
      if (typeof code === 'string') {
        if (
          TRANSIENT_NODE_CODES.has(code) ||
          TRANSIENT_PRISMA_CODES.has(code) ||
          TRANSIENT_SQLSTATE.test(code)
        ) {
          return true;
        }
      }
    }
    if (
      typeof candidate.message === 'string' &&
      MESSAGE_HINTS.some((hint) => String(candidate.message).includes(hint))
    ) {
      return true;
    }
    // Prisma reports a raw query's PostgreSQL error (P2010) under meta, not as its cause.
    current = candidate.cause ?? candidate.meta?.driverAdapterError;
  }
  return false;
}
