import { Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Actor, CaseEscalated, CaseEscalationResolved } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { Deadline } from '@nrm/scheduling';
import { CaseRecords, LockedCase } from '../cases/case-records';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';
import { jsonRecords } from '@nrm/persistence';

type EscalatedCase = Pick<LockedCase, 'id' | 'provinceCode'>;

export type Escalation =
  | { reason: 'deadline-breached'; deadline: Deadline; service?: string }
  | { reason: 'no-provider'; service: string };

/**
 * Escalations: a missed deadline or a service nobody can give. The case is
 * marked, the escalation recorded, and an event tells the province and the
 * supervisors. A deadline escalates at most once (unique per deadline).
 */
@Injectable()
export class EscalationsService {
  constructor(
    private readonly db: ProvinceDatabase,
    private readonly outbox: OutboxWriter,
    private readonly records: CaseRecords,
  ) {}

  /** Raises an escalation on a case the caller holds (locked, or created in the same transaction). */
  raise(tx: ProvinceTx, found: EscalatedCase, escalation: Escalation): Promise<void> {
    return this.raiseAll(tx, [{ found, escalation }]);
  }

  /** Raises escalations together: one statement for all of them, then an event for each one new. */
  async raiseAll(
    tx: ProvinceTx,
    escalations: readonly { found: EscalatedCase; escalation: Escalation }[],
  ): Promise<void> {
    if (escalations.length === 0) return;
    const raised = escalations.map(({ found, escalation }) => {
      const deadline = escalation.reason === 'deadline-breached' ? escalation.deadline : undefined;
      return {
        id: randomUUID(),
        found,
        escalation,
        deadline,
        row: {
          reason: escalation.reason,
          deadlineId: deadline?.id ?? null,
          deadlineKind: deadline?.kind ?? null,
          service: escalation.service ?? null,
        },
      };
    });
    // A deadline escalates once: a second escalation for it is not inserted and not announced.
    const inserted = await tx.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO escalation (id, case_id, reason, deadline_id, deadline_kind, service)
       SELECT id, "caseId", reason, "deadlineId", "deadlineKind", service
         FROM ${jsonRecords(
           '$1',
           `id uuid, "caseId" uuid, reason text, "deadlineId" uuid,
              "deadlineKind" text, service text`,
         )} AS raised
       ON CONFLICT DO NOTHING
       RETURNING id::text`,
      JSON.stringify(raised.map(({ id, found, row }) => ({ id, caseId: found.id, ...row }))),
    );
    const announce = new Set(inserted.map((row) => row.id));
    for (const { id, found, escalation, deadline } of raised) {
      if (!announce.has(id)) continue;
      await this.outbox.append(tx, CaseEscalated, {
        caseId: found.id,
        payload: {
          caseId: found.id,
          escalationId: id,
          reason: escalation.reason,
          provinceCode: found.provinceCode,
          ...(deadline ? { deadlineKind: deadline.kind } : {}),
          ...(escalation.service ? { service: escalation.service } : {}),
        },
      });
    }
  }

  /** Closes an escalation with what was done; the case stays escalated while another is open. */
  async resolve(caseId: string, escalationId: string, resolution: string, actor: Actor) {
    await this.db.$transaction(async (tx) => {
      const found = await this.records.lock(tx, caseId);
      const resolved = await tx.escalation.updateMany({
        where: { id: escalationId, caseId, resolvedAt: null },
        data: { resolvedAt: new Date(), resolvedBy: actor.id, resolution },
      });
      if (resolved.count === 0) throw new NotFoundException('No open escalation with this id on this case');
      await this.outbox.append(tx, CaseEscalationResolved, {
        caseId,
        actor,
        payload: { caseId, escalationId, provinceCode: found.provinceCode },
      });
    });
    return this.db.escalation.findUniqueOrThrow({ where: { id: escalationId } });
  }

  /** Open escalations, oldest first, optionally for one province. */
  open(province: string | undefined) {
    return this.db.escalation.findMany({
      where: { resolvedAt: null, ...(province ? { case: { provinceCode: province } } : {}) },
      include: { case: { select: { provinceCode: true, state: true, urgency: true } } },
      orderBy: { raisedAt: 'asc' },
      take: 500,
    });
  }
}
