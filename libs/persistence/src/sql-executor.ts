/**
 * The part of a Prisma client (or interactive transaction) that shared libraries
 * use. Every service has its own generated client; this keeps the outbox, inbox
 * and deadline code independent of any one of them.
 */
export interface SqlExecutor {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface TransactionRunner<Tx extends SqlExecutor = SqlExecutor> {
  $transaction<T>(work: (tx: Tx) => Promise<T>, options?: { timeout?: number; maxWait?: number }): Promise<T>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** A schema-qualified table name, for SQL the shared libraries write. */
export function qualifiedTable(schema: string, table: string): string {
  if (!IDENTIFIER.test(schema) || !IDENTIFIER.test(table)) {
    throw new Error(`Invalid SQL identifier: ${schema}.${table}`);
  }
  return `"${schema}"."${table}"`;
}
