import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { Actor } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { TRANSACTION_RUNNER } from '@nrm/messaging';
import { GroupedCalls, qualifiedTable, SqlExecutor, SqlPart, TransactionRunner } from '@nrm/persistence';

export const AUDIT_ACTIONS = ['read', 'change', 'export', 'denied'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditRecord {
  /** An account, or `anonymous` for a request without a valid token. */
  actor: Pick<Actor, 'id' | 'organisationId' | 'provinceCode'> & { role: string };
  action: AuditAction;
  subject: string;
  detail?: string;
  reason?: string;
}

export interface AuditEntry {
  sequence: string;
  id: string;
  occurredAt: Date;
  actorId: string;
  actorRole: string;
  actorOrganisation: string | null;
  actorProvince: string | null;
  action: string;
  subject: string;
  detail: string | null;
  reason: string | null;
  previousHash: string;
  hash: string;
}

export interface ChainCheck {
  entries: number;
  intact: boolean;
  /** The first entry whose hash does not follow from its content and the entry before it. */
  brokenAt?: string;
}

const GENESIS = '0'.repeat(64);
const PAGE = 1_000;
// The numeric column is ordered by its qualified name: the text alias would sort 10 before 9.
const COLUMNS = `sequence::text AS sequence, id, occurred_at AS "occurredAt", actor_id AS "actorId",
  actor_role AS "actorRole", actor_organisation AS "actorOrganisation", actor_province AS "actorProvince",
  action, subject, detail, reason, previous_hash AS "previousHash", hash`;

type AuditContent = Omit<AuditEntry, 'sequence' | 'hash' | 'previousHash'>;

const APPEND_GROUPS = { groupSize: 256, concurrent: 1 };

function contentOf(record: AuditRecord): AuditContent {
  return {
    id: randomUUID(),
    occurredAt: new Date(),
    actorId: record.actor.id,
    actorRole: record.actor.role,
    actorOrganisation: record.actor.organisationId ?? null,
    actorProvince: record.actor.provinceCode ?? null,
    action: record.action,
    subject: record.subject,
    detail: record.detail ?? null,
    reason: record.reason ?? null,
  };
}

/** The digest of an entry's content, in a fixed order. */
function contentDigest(entry: AuditContent): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        entry.id,
        entry.occurredAt.toISOString(),
        entry.actorId,
        entry.actorRole,
        entry.actorOrganisation,
        entry.actorProvince,
        entry.action,
        entry.subject,
        entry.detail,
        entry.reason,
      ]),
    )
    .digest('hex');
}

/**
 * The hash of an entry: the hash before it followed by its content's digest.
 * PostgreSQL computes the same when appending (prisma/shared/audit-append-only.sql).
 */
export function entryHash(entry: Omit<AuditEntry, 'sequence' | 'hash'>): string {
  return createHash('sha256')
    .update(entry.previousHash + contentDigest(entry))
    .digest('hex');
}

/**
 * The service's audit trail: who read identifying data, changed state,
 * exported or was refused, and when. Entries are chained by hash. Appending
 * is one call of the schema's `append_audit_entries`, which takes the chain's
 * lock, reads the last hash and inserts on the server: the lock is never held
 * while a busy service gets round to its next statement, so concurrent
 * requests queue for microseconds, not for the service's event loop. Entries
 * recorded outside a transaction at the same moment are appended together.
 */
@Injectable()
export class AuditTrail {
  private readonly table: string;
  private readonly appendFunction: string;
  /** Requests that finish together share one append: one lock, one statement, one commit. */
  private readonly appends = new GroupedCalls<AuditContent, void>(async (entries) => {
    await this.append(this.db, entries);
    return entries.map(() => undefined);
  }, APPEND_GROUPS);

  constructor(
    settings: PlatformSettings,
    @Inject(TRANSACTION_RUNNER) private readonly db: TransactionRunner & SqlExecutor,
  ) {
    this.table = qualifiedTable(settings.databaseSchema, 'audit_entry');
    this.appendFunction = qualifiedTable(settings.databaseSchema, 'append_audit_entries');
  }

  /**
   * Appends an entry, in the caller's transaction when given (so it commits
   * with the change it records), else as a statement of its own.
   */
  record(record: AuditRecord, tx?: SqlExecutor): Promise<void> {
    const content = contentOf(record);
    if (tx) return this.append(tx, [content]);
    return this.appends.run(content).catch(() => this.append(this.db, [content]));
  }

  async list(filter: {
    actorId?: string;
    subject?: string;
    action?: string;
    from?: Date;
    to?: Date;
    limit: number;
  }) {
    return this.db.$queryRawUnsafe<AuditEntry[]>(
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE ($1::text IS NULL OR actor_id = $1) AND ($2::text IS NULL OR subject LIKE $2 || '%')
          AND ($3::text IS NULL OR action = $3) AND ($4::timestamptz IS NULL OR occurred_at >= $4)
          AND ($5::timestamptz IS NULL OR occurred_at < $5)
        ORDER BY audit_entry.sequence DESC LIMIT $6`,
      filter.actorId ?? null,
      filter.subject ?? null,
      filter.action ?? null,
      filter.from ?? null,
      filter.to ?? null,
      filter.limit,
    );
  }

  /** Recomputes the whole chain; any edit, insertion or removal in the middle shows as a break. */
  async verify(): Promise<ChainCheck> {
    let previousHash = GENESIS;
    let after = '0';
    let entries = 0;
    for (;;) {
      const page = await this.db.$queryRawUnsafe<AuditEntry[]>(
        `SELECT ${COLUMNS} FROM ${this.table} WHERE sequence > $1::bigint ORDER BY audit_entry.sequence LIMIT $2`,
        after,
        PAGE,
      );
      if (page.length === 0) return { entries, intact: true };
      for (const entry of page) {
        const { sequence, hash, ...content } = entry;
        if (content.previousHash !== previousHash || entryHash(content) !== hash)
          return { entries, intact: false, brokenAt: sequence };
        previousHash = hash;
        entries += 1;
      }
      after = page[page.length - 1].sequence;
    }
  }

  /**
   * The statement that appends these records, for a change that commits its
   * entry with itself in one statement (`runAsOneStatement`; the handler is
   * marked `@AuditedWithChange`, so the interceptor does not record it again).
   */
  appending(records: readonly AuditRecord[]): SqlPart {
    return this.appendingContent(records.map(contentOf));
  }

  private async append(tx: SqlExecutor, entries: AuditContent[]): Promise<void> {
    const { text, values } = this.appendingContent(entries);
    await tx.$queryRawUnsafe(text, ...values);
  }

  private appendingContent(entries: readonly AuditContent[]): SqlPart {
    return {
      text: `SELECT 1 AS appended FROM ${this.appendFunction}($1::jsonb)`,
      values: [
        JSON.stringify(entries.map((content) => ({ ...content, contentDigest: contentDigest(content) }))),
      ],
    };
  }
}
