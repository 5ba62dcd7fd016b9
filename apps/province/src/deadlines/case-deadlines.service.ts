import { Injectable, NotFoundException } from '@nestjs/common';
import { CaseDeadlineUpdated } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { Deadline, DeadlineChanges, Deadlines } from '@nrm/scheduling';
import { CaseRecords, LockedCase } from '../cases/case-records';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';
import { DEADLINE_KINDS, DeadlineKind, DeadlinePolicyUpdate, HolidayCalendar } from './deadline-policies';
import { addDuration, DurationUnit } from './working-time';

/** What setting a deadline needs of its case. */
type CaseRef = Pick<LockedCase, 'id' | 'provinceCode' | 'urgency'>;

/** A deadline of a case, due at a known time. */
export interface DeadlineSetting {
  found: CaseRef;
  kind: DeadlineKind;
  subjectId?: string;
  dueAt: Date;
}

/**
 * The province's deadlines: due times from the policies and the holiday
 * calendar (data, changed through the admin API), rows in PostgreSQL, an
 * event for each change, and BullMQ jobs derived once the transaction commits.
 */
@Injectable()
export class CaseDeadlines {
  constructor(
    private readonly db: ProvinceDatabase,
    private readonly records: CaseRecords,
    private readonly deadlines: Deadlines,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Due times for a kind of deadline starting now: one per amount in its policy. */
  async dueTimes(tx: ProvinceTx, kind: DeadlineKind, urgency: string, from = new Date()): Promise<Date[]> {
    const [policy] = await tx.$queryRawUnsafe<{ amounts: number[]; urgentAmounts: number[]; unit: string }[]>(
      'SELECT amounts, urgent_amounts AS "urgentAmounts", unit FROM deadline_policy WHERE kind = $1',
      kind,
    );
    if (!policy) throw new Error(`No deadline policy for ${kind}: run the seed command`);
    const amounts =
      urgency === 'urgent' && policy.urgentAmounts.length > 0 ? policy.urgentAmounts : policy.amounts;
    const unit = policy.unit as DurationUnit;
    const holidays =
      unit === 'working_days'
        ? new Set(
            (
              await tx.holiday.findMany({ where: { date: { gte: new Date(from.getTime() - 86_400_000) } } })
            ).map((holiday) => holiday.date.toISOString().slice(0, 10)),
          )
        : undefined;
    return amounts.map((amount) => addDuration(from, amount, unit, holidays));
  }

  /** Sets (or sets again) a deadline of the case from its policy. */
  async set(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    found: CaseRef,
    kind: DeadlineKind,
    options: { subjectId?: string; dueAt?: Date } = {},
  ): Promise<void> {
    const dueAt = options.dueAt ?? (await this.dueTimes(tx, kind, found.urgency))[0];
    await this.setAll(tx, changes, [{ found, kind, subjectId: options.subjectId, dueAt }]);
  }

  /** Sets (or sets again) deadlines of several cases whose due times are known, in one statement. */
  async setAll(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    settings: readonly DeadlineSetting[],
  ): Promise<void> {
    const provinces = new Map(settings.map(({ found }) => [found.id, found.provinceCode]));
    const stored = await this.deadlines.rearm(
      tx,
      changes,
      settings.map(({ found, kind, subjectId, dueAt }) => ({
        caseId: found.id,
        kind,
        ...(subjectId ? { subjectId } : {}),
        dueAt,
      })),
    );
    // Every stored deadline is one of the settings', so its case is among theirs.
    for (const deadline of stored)
      await this.announce(tx, provinces.get(deadline.caseId)!, deadline, 'pending');
  }

  /** Marks pending deadlines met (or cancelled), optionally only one subject's. */
  async settle(
    tx: ProvinceTx,
    changes: DeadlineChanges,
    found: CaseRef,
    kinds: readonly DeadlineKind[],
    options: { subjectId?: string; as?: 'met' | 'cancelled' } = {},
  ): Promise<void> {
    const settled = await this.deadlines.settle(tx, found.id, kinds, options);
    changes.settled.push(...settled);
    for (const deadline of settled)
      await this.announce(tx, found.provinceCode, deadline, options.as ?? 'met');
  }

  async cancelAll(tx: ProvinceTx, changes: DeadlineChanges, found: CaseRef): Promise<void> {
    await this.settle(tx, changes, found, DEADLINE_KINDS, { as: 'cancelled' });
  }

  /** Moves a pending deadline to a later time (a court extended the hold). */
  async extend(tx: ProvinceTx, changes: DeadlineChanges, found: CaseRef, deadline: Deadline, dueAt: Date) {
    const moved = await this.deadlines.extend(tx, deadline.id, dueAt);
    if (!moved) return undefined;
    changes.moved.push(moved);
    await this.announce(tx, found.provinceCode, moved, 'pending');
    return moved;
  }

  /** Locks the case of a breached deadline and announces the breach; the case is what escalating needs. */
  async recordBreach(tx: ProvinceTx, deadline: Deadline): Promise<LockedCase> {
    const found = await this.records.lock(tx, deadline.caseId);
    await this.announce(tx, found.provinceCode, deadline, 'breached');
    return found;
  }

  async pending(tx: ProvinceTx, caseId: string): Promise<Deadline[]> {
    return this.deadlines.pending(tx, caseId);
  }

  apply(changes: DeadlineChanges): Promise<void> {
    return this.deadlines.apply(changes);
  }

  async announce(tx: ProvinceTx, provinceCode: string, deadline: Deadline, status: string): Promise<void> {
    await this.outbox.append(tx, CaseDeadlineUpdated, {
      caseId: deadline.caseId,
      payload: {
        caseId: deadline.caseId,
        deadlineId: deadline.id,
        kind: deadline.kind,
        subjectId: deadline.subjectId,
        dueAt: deadline.dueAt.toISOString(),
        status,
        provinceCode,
      },
    });
  }

  policies() {
    return this.db.deadlinePolicy.findMany({ orderBy: { kind: 'asc' } });
  }

  async updatePolicy(kind: string, update: DeadlinePolicyUpdate) {
    if (!(DEADLINE_KINDS as readonly string[]).includes(kind)) {
      throw new NotFoundException(`No deadline kind ${kind}; the kinds are ${DEADLINE_KINDS.join(', ')}`);
    }
    return this.db.deadlinePolicy.upsert({ where: { kind }, create: { kind, ...update }, update });
  }

  holidays() {
    return this.db.holiday.findMany({ orderBy: { date: 'asc' } });
  }

  /** Replaces the holiday calendar. */
  async replaceHolidays(calendar: HolidayCalendar) {
    await this.db.$transaction([
      this.db.holiday.deleteMany({}),
      this.db.holiday.createMany({
        data: calendar.holidays.map((holiday) => ({
          ...holiday,
          date: new Date(`${holiday.date}T00:00:00Z`),
        })),
        skipDuplicates: true,
      }),
    ]);
    return this.holidays();
  }
}
