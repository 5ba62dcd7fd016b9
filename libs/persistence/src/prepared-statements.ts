import { createHash } from 'node:crypto';

export interface PreparedStatementLimits {
  /** Sightings of a statement's text before it is prepared: one-off statements stay unnamed. */
  preparedAfter: number;
  /** Distinct statements a process prepares; each connection holds at most this many. */
  maxPrepared: number;
}

const DEFAULT_LIMITS: PreparedStatementLimits = { preparedAfter: 2, maxPrepared: 200 };

/**
 * Names the statements a service repeats, so that each connection parses and
 * plans them once (PostgreSQL's prepared statements) instead of on every call:
 * the pg adapter sends every statement unnamed otherwise, and under a surge
 * parsing and planning cost PostgreSQL about two fifths of its time.
 *
 * A connection keeps what it prepared until it closes, so the names are
 * bounded: a text is named once seen `preparedAfter` times, and only the
 * first `maxPrepared` such texts ever are. The texts counted but not yet named
 * are forgotten in bulk when they grow past ten times that bound.
 */
export class PreparedStatementNames {
  private readonly names = new Map<string, string>();
  private readonly sightings = new Map<string, number>();

  constructor(private readonly limits: PreparedStatementLimits = DEFAULT_LIMITS) {}

  /** The statement's name, or '' to send it unnamed (pg parses it afresh). */
  nameOf(sql: string): string {
    const known = this.names.get(sql);
    if (known !== undefined) return known;
    if (this.names.size >= this.limits.maxPrepared) return '';
    const seen = (this.sightings.get(sql) ?? 0) + 1;
    if (seen < this.limits.preparedAfter) {
      if (this.sightings.size >= this.limits.maxPrepared * 10) this.sightings.clear();
      this.sightings.set(sql, seen);
      return '';
    }
    this.sightings.delete(sql);
    const name = `nrm_${createHash('sha1').update(sql).digest('hex')}`;
    this.names.set(sql, name);
    return name;
  }
}
