import { SqlExecutor } from './sql-executor';

/** A statement and its values: `$1`, `$2`… in `text` are `values[0]`, `values[1]`… */
export interface SqlPart {
  text: string;
  values: readonly unknown[];
}

/**
 * Runs statements as one: each becomes a common table expression of a single
 * statement, so they commit together, or not at all, in one round trip
 * without BEGIN and COMMIT. Under load every round trip to a busy server
 * waits its turn for a core, so a write that must answer quickly is best made
 * this way. Each part must return rows (a RETURNING clause, or a SELECT, which
 * runs because it is counted). The parts see the same snapshot, so none reads
 * another's rows; foreign keys between them are checked at the end, and hold.
 * Returns how many rows each part returned, in order.
 */
export async function runAsOneStatement(db: SqlExecutor, parts: readonly SqlPart[]): Promise<number[]> {
  if (parts.length === 0) return [];
  const values: unknown[] = [];
  const expressions = parts.map((part, index) => {
    const offset = values.length;
    values.push(...part.values);
    const text = part.text.replace(/\$(\d+)/g, (_, position: string) => `$${Number(position) + offset}`);
    return `part${index} AS (${text})`;
  });
  const counts = parts.map((_, index) => `(SELECT count(*) FROM part${index})::int AS "${index}"`);
  const [row] = await db.$queryRawUnsafe<Record<string, number>[]>(
    `WITH ${expressions.join(',\n')}\nSELECT ${counts.join(', ')}`,
    ...values,
  );
  return parts.map((_, index) => row[String(index)]);
}
