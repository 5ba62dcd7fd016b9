import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, PoolClient, QueryResult, types } from 'pg';
import { PreparedStatementNames } from './prepared-statements';
import { SqlExecutor, TransactionRunner } from './sql-executor';

/** The interactive transaction a `$transaction` call is beginning, and whether it is over. */
interface TransactionSlot {
  connection?: PoolClient;
  over: boolean;
}

const beginning = new AsyncLocalStorage<TransactionSlot>();

type ConnectCallback = Parameters<Pool['connect']>[0] & {};

/**
 * The pool Prisma's pg adapter draws from. The adapter draws a connection with
 * the promise form of `connect` only to begin a transaction (its other
 * statements use `query`, which draws with a callback), so a connection drawn
 * that way inside a `$transaction` call is that transaction's, and is noted for it.
 */
export class TransactionAwarePool extends Pool {
  override connect(): Promise<PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<PoolClient> | void {
    if (callback) return super.connect(callback);
    return super.connect().then((connection) => {
      const slot = beginning.getStore();
      if (slot && !slot.connection) slot.connection = connection;
      return connection;
    });
  }
}

const INT8 = 20;
const DATE = 1082;
const TIMESTAMP = 1114;

/** Values as Prisma's raw queries give them: int8 as bigint, and dates and timestamps without a zone in UTC. */
const RESULT_TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (format !== 'binary') {
      if (oid === INT8) return (text: string) => BigInt(text);
      if (oid === DATE) return (text: string) => new Date(`${text}T00:00:00Z`);
      if (oid === TIMESTAMP) return (text: string) => new Date(`${text.replace(' ', 'T')}Z`);
    }
    return types.getTypeParser(oid, format) as (value: string) => unknown;
  },
};

/** A Date as an instant PostgreSQL reads alike into a timestamp with or without a zone (Prisma's convention: UTC). */
function parameter(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(parameter);
  return value;
}

type Queryable = Pick<PoolClient, 'query'>;

/**
 * Raw SQL sent straight to pg. Prisma's client runs every statement, raw ones
 * included, through its request pipeline and its WebAssembly query compiler:
 * under a surge that was a quarter of the event consumers' CPU, though nearly
 * all of their statements are raw SQL. Here raw SQL (`$queryRawUnsafe`,
 * `$executeRawUnsafe`) goes to the same pool, named for the same prepared
 * statements, and gives values as Prisma would; inside `$transaction` it runs
 * on the transaction's own connection, between Prisma's statements, so raw
 * SQL and Prisma's model queries still commit or roll back together.
 */
export class DirectSql {
  constructor(
    private readonly pool: Pool,
    private readonly statements: PreparedStatementNames,
    private readonly defaultTimeoutMs: number,
  ) {}

  /**
   * Makes a Prisma client send its raw SQL this way. The client's batch
   * `$transaction([...])` of Prisma queries is left to Prisma.
   */
  takeOverRawSql(client: SqlExecutor & TransactionRunner): void {
    const prismaTransaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
    const prisma = { $transaction: prismaTransaction } as TransactionRunner;
    Object.assign(client, this.executorOn(this.pool), {
      $transaction: (work: unknown, options?: { timeout?: number; maxWait?: number }) =>
        typeof work === 'function'
          ? this.transaction(prisma, work as (tx: SqlExecutor) => Promise<unknown>, options)
          : prismaTransaction(work, options),
    });
  }

  /**
   * Runs `work` in the client's interactive transaction, its raw SQL on the
   * transaction's connection. The time limit is kept here, not by Prisma: when
   * it passes, the transaction is over for raw SQL first, then Prisma rolls it
   * back, so a statement sent later can never run on the connection outside it.
   */
  private async transaction<Tx extends SqlExecutor, T>(
    client: TransactionRunner<Tx>,
    work: (tx: Tx) => Promise<T>,
    options: { timeout?: number; maxWait?: number } = {},
  ): Promise<T> {
    const timeoutMs = options.timeout ?? this.defaultTimeoutMs;
    const slot: TransactionSlot = { over: false };
    return beginning.run(slot, () =>
      client.$transaction(
        async (tx) => {
          const { connection } = slot;
          if (!connection) throw new Error('The transaction began on a connection the pool did not note');
          let timer: NodeJS.Timeout | undefined;
          const expired = new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              slot.over = true;
              reject(new Error(`Transaction already closed: it ran past its ${timeoutMs} ms`));
            }, timeoutMs);
          });
          try {
            return await Promise.race([work(this.within(tx, this.executorOn(connection, slot))), expired]);
          } finally {
            slot.over = true;
            clearTimeout(timer);
          }
        },
        // Prisma's own limit is a backstop: ours ends the transaction first.
        { ...options, timeout: timeoutMs + 5_000 },
      ),
    );
  }

  /** The transaction client, with its raw SQL sent by `raw`. */
  private within<Tx extends SqlExecutor>(tx: Tx, raw: SqlExecutor): Tx {
    return new Proxy(tx, {
      get: (target, property) =>
        property === '$queryRawUnsafe' || property === '$executeRawUnsafe'
          ? raw[property]
          : Reflect.get(target, property),
    });
  }

  /** Raw SQL on the pool, or on a transaction's connection while the transaction lasts. */
  private executorOn(on: Queryable, transaction?: TransactionSlot): SqlExecutor {
    const send = (sql: string, values: unknown[]): Promise<QueryResult> => {
      if (transaction?.over)
        return Promise.reject(new Error('Transaction already closed: its work has ended'));
      return on.query({
        name: this.statements.nameOf(sql) || undefined,
        text: sql,
        values: values.map(parameter),
        types: RESULT_TYPES,
      });
    };
    return {
      $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) => (await send(sql, values)).rows as T,
      $executeRawUnsafe: async (sql: string, ...values: unknown[]) => (await send(sql, values)).rowCount ?? 0,
    };
  }
}
