import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { PlatformSettings } from '@nrm/config';
import { qualifiedTable, SqlExecutor, TransactionRunner } from '@nrm/persistence';
import { OutboxWriter } from './outbox.writer';
import { TRANSACTION_RUNNER } from './tokens';

export interface DeadLetterView {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  eventId: string | null;
  eventType: string | null;
  reason: string;
  details: unknown;
  attempts: number;
  status: 'pending' | 'replayed' | 'discarded';
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedNote: string | null;
}

interface StoredDeadLetter extends DeadLetterView {
  headers: Record<string, string>;
  value: string;
}

const VIEW_COLUMNS = `id, consumer, topic, partition, "offset", key, event_id AS "eventId", event_type AS "eventType",
  reason, details, attempts, status::text AS status, created_at AS "createdAt", resolved_at AS "resolvedAt",
  resolved_note AS "resolvedNote"`;

/** What an operator does with dead letters: list them, replay them once fixed, or discard them. */
@Injectable()
export class DeadLettersService {
  private readonly table: string;

  constructor(
    settings: PlatformSettings,
    @Inject(TRANSACTION_RUNNER) private readonly db: TransactionRunner & SqlExecutor,
    private readonly outbox: OutboxWriter,
  ) {
    this.table = qualifiedTable(settings.databaseSchema, 'dead_letter');
  }

  list(status: DeadLetterView['status'] | undefined, limit: number): Promise<DeadLetterView[]> {
    return this.db.$queryRawUnsafe<DeadLetterView[]>(
      `SELECT ${VIEW_COLUMNS} FROM ${this.table}
        WHERE ($1::text IS NULL OR status::text = $1) ORDER BY created_at DESC LIMIT $2`,
      status ?? null,
      limit,
    );
  }

  /** Puts the original message back on its topic through the outbox; the consumer applies it once. */
  async replay(id: string): Promise<DeadLetterView> {
    return this.db.$transaction(async (tx) => {
      const letter = await this.lockPending(tx, id);
      let envelope: unknown;
      try {
        envelope = JSON.parse(letter.value);
      } catch {
        throw new ConflictException('This message is not JSON and cannot be replayed; discard it instead.');
      }
      await this.outbox.appendRaw(tx, {
        topic: letter.topic,
        key: letter.key ?? letter.id,
        type: letter.eventType ?? 'unknown',
        headers: letter.headers,
        envelope,
      });
      return this.resolve(tx, id, 'replayed', null);
    });
  }

  async discard(id: string, note: string): Promise<DeadLetterView> {
    return this.db.$transaction(async (tx) => {
      await this.lockPending(tx, id);
      return this.resolve(tx, id, 'discarded', note);
    });
  }

  private async lockPending(tx: SqlExecutor, id: string): Promise<StoredDeadLetter> {
    const rows = await tx.$queryRawUnsafe<StoredDeadLetter[]>(
      `SELECT ${VIEW_COLUMNS}, headers, value FROM ${this.table} WHERE id = $1::uuid FOR UPDATE`,
      id,
    );
    const letter = rows[0];
    if (!letter) throw new NotFoundException('No such dead letter');
    if (letter.status !== 'pending')
      throw new ConflictException(`This dead letter was already ${letter.status}`);
    return letter;
  }

  private async resolve(
    tx: SqlExecutor,
    id: string,
    status: 'replayed' | 'discarded',
    note: string | null,
  ): Promise<DeadLetterView> {
    const rows = await tx.$queryRawUnsafe<DeadLetterView[]>(
      `UPDATE ${this.table} SET status = $2::dead_letter_status, resolved_at = now(), resolved_note = $3
        WHERE id = $1::uuid RETURNING ${VIEW_COLUMNS}`,
      id,
      status,
      note,
    );
    return rows[0];
  }
}
