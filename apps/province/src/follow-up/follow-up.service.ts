import { ApiProperty } from '@nestjs/swagger';
import { Injectable } from '@nestjs/common';
import { IsIn, IsISO8601, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { Actor, FOLLOW_UP_OUTCOMES, FollowUpVisitRecorded } from '@nrm/contracts';
import { OutboxWriter } from '@nrm/messaging';
import { DeadlineChanges } from '@nrm/scheduling';
import { CaseRecords, LockedCase } from '../cases/case-records';
import { CaseDeadlines } from '../deadlines/case-deadlines.service';
import { DeadlineKinds } from '../deadlines/deadline-policies';
import { refuse } from '../cases/refusal';
import { ProvinceDatabase, ProvinceTx } from '../persistence/province-database.service';

export class FollowUpVisitDto {
  @ApiProperty({ example: '2027-01-15' })
  @IsISO8601({ strict: true })
  @Length(10, 10)
  visitedOn!: string;

  @ApiProperty({ enum: FOLLOW_UP_OUTCOMES })
  @IsIn(FOLLOW_UP_OUTCOMES)
  outcome!: string;
}

/** Follow-up after reintegration: visits planned from the policy (1, 3, 6 and 12 months by default), each with a deadline. */
@Injectable()
export class FollowUpService {
  constructor(
    private readonly db: ProvinceDatabase,
    private readonly outbox: OutboxWriter,
    private readonly records: CaseRecords,
    private readonly deadlines: CaseDeadlines,
  ) {}

  async plan(tx: ProvinceTx, changes: DeadlineChanges, found: LockedCase): Promise<void> {
    const already = await tx.followUpVisit.count({ where: { caseId: found.id } });
    const dueTimes = await this.deadlines.dueTimes(tx, DeadlineKinds.followUpVisit, found.urgency);
    for (const [index, dueAt] of dueTimes.entries()) {
      const id = randomUUID();
      await tx.followUpVisit.create({ data: { id, caseId: found.id, sequence: already + index + 1, dueAt } });
      await this.deadlines.set(tx, changes, found, DeadlineKinds.followUpVisit, { subjectId: id, dueAt });
    }
  }

  /** Records the earliest visit still open. */
  async record(caseId: string, visit: FollowUpVisitDto, actor: Actor) {
    const changes = new DeadlineChanges();
    await this.db.$transaction(async (tx) => {
      const found = await this.records.lock(tx, caseId);
      if (found.state !== 'follow_up') {
        refuse(`Follow-up visits are recorded while the case is in follow-up, not '${found.state}'`, {
          state: found.state,
        });
      }
      const next = await tx.followUpVisit.findFirst({
        where: { caseId, visitedOn: null },
        orderBy: { sequence: 'asc' },
      });
      if (!next) refuse('Every planned follow-up visit is recorded', { state: found.state });
      await tx.followUpVisit.update({
        where: { id: next.id },
        data: {
          visitedOn: new Date(`${visit.visitedOn}T00:00:00Z`),
          outcome: visit.outcome,
          recordedBy: actor.id,
        },
      });
      await this.deadlines.settle(tx, changes, found, [DeadlineKinds.followUpVisit], { subjectId: next.id });
      await this.outbox.append(tx, FollowUpVisitRecorded, {
        caseId,
        actor,
        payload: {
          caseId,
          provinceCode: found.provinceCode,
          sequence: next.sequence,
          outcome: visit.outcome,
        },
      });
    });
    await this.deadlines.apply(changes);
  }
}
