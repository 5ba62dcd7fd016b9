import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEnvelope, ReferralSubmitted } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { OutboxWriter } from '@nrm/messaging';
import { FieldCipher } from '@nrm/persistence';
import { Deadlines } from '@nrm/scheduling';
import { IntakeDatabase, IntakeTx } from '../persistence/intake-database.service';
import { ageBandOf, isAgeBand, isChildBand } from './age-band';
import { furthest, ReferralProgress } from './referral-status';
import { SubmitReferralDto } from './submit-referral.dto';

export const OPENING_DEADLINE = 'referral.opening';

export interface ReferralView {
  id: string;
  status: ReferralProgress;
  foundInProvince: string;
  responsibleProvince: string | null;
  submittedAt: string;
  history: { type: string; occurredAt: string }[];
}

@Injectable()
export class ReferralsService {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly db: IntakeDatabase,
    private readonly outbox: OutboxWriter,
    private readonly deadlines: Deadlines,
    private readonly settings: PlatformSettings,
  ) {
    this.cipher = new FieldCipher(settings.fieldEncryptionKey);
  }

  /**
   * Stores the referral, its first history entry, its `referral.submitted`
   * event and its opening deadline in one transaction. The same Idempotency-Key
   * returns the referral already created.
   */
  async submit(
    dto: SubmitReferralDto,
    idempotencyKey?: string,
  ): Promise<{ referral: ReferralView; created: boolean }> {
    if (idempotencyKey) {
      const existing = await this.db.referral.findUnique({ where: { idempotencyKey }, select: { id: true } });
      if (existing) return { referral: await this.get(existing.id), created: false };
    }
    const ageBand = this.ageBand(dto);
    const id = randomUUID();
    try {
      const deadline = await this.db.$transaction(async (tx) => {
        await tx.referral.create({
          data: {
            id,
            idempotencyKey: idempotencyKey ?? null,
            status: 'submitted',
            referrerOrganisation: dto.referrer.organisation,
            cameToNoticeVia: dto.cameToNoticeVia,
            provinceCode: dto.found.provinceCode,
            foundOn: new Date(`${dto.found.date}T00:00:00Z`),
            ageBand,
            isChild: isChildBand(ageBand),
            gender: dto.person.gender,
            nationality: dto.person.nationality,
            exploitationTypes: dto.exploitationTypes,
            identityCiphertext: this.cipher.encrypt({
              identity: dto.identity ?? {},
              narrative: dto.narrative ?? null,
              referrer: { officer: dto.referrer.officer, contactChannel: dto.referrer.contactChannel },
              person: {
                age: dto.person.age ?? null,
                languages: dto.person.languages ?? [],
                district: dto.found.district ?? null,
              },
            }),
          },
        });
        const event = await this.outbox.append(tx, ReferralSubmitted, {
          caseId: id,
          payload: {
            referralId: id,
            foundInProvince: dto.found.provinceCode,
            foundOn: dto.found.date,
            ageBand,
            isChild: isChildBand(ageBand),
            gender: dto.person.gender,
            nationality: dto.person.nationality,
            exploitationTypes: dto.exploitationTypes,
            cameToNoticeVia: dto.cameToNoticeVia,
            referrerOrganisation: dto.referrer.organisation,
            consentToShare: false,
            consentToContact: false,
            childBestInterestRecorded: false,
          },
        });
        await this.recordHistory(tx, event);
        return this.deadlines.create(
          tx,
          id,
          OPENING_DEADLINE,
          new Date(Date.now() + this.settings.referralOpeningDeadlineMs),
        );
      });
      await this.deadlines.schedule(deadline);
    } catch (error) {
      if (idempotencyKey && isUniqueViolation(error)) {
        const winner = await this.db.referral.findUniqueOrThrow({
          where: { idempotencyKey },
          select: { id: true },
        });
        return { referral: await this.get(winner.id), created: false };
      }
      throw error;
    }
    return { referral: await this.get(id), created: true };
  }

  async get(id: string): Promise<ReferralView> {
    const referral = await this.db.referral.findUnique({
      where: { id },
      include: { history: { orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] } },
    });
    if (!referral) throw new NotFoundException('No such referral');
    return {
      id: referral.id,
      status: referral.status,
      foundInProvince: referral.provinceCode,
      responsibleProvince: referral.responsibleProvince,
      submittedAt: referral.submittedAt.toISOString(),
      history: referral.history.map((entry) => ({
        type: entry.type,
        occurredAt: entry.occurredAt.toISOString(),
      })),
    };
  }

  /** Applies a downstream event to the referrer's view: history entry, status, responsible province. */
  async project(
    tx: IntakeTx,
    event: EventEnvelope,
    progress: ReferralProgress | null,
    responsibleProvince?: string,
  ): Promise<void> {
    // Events about one referral arrive on several topics at once: the row lock
    // serialises them so that the status only moves forward.
    const [referral] = await tx.$queryRawUnsafe<{ status: ReferralProgress }[]>(
      'SELECT status::text AS status FROM referral WHERE id = $1::uuid FOR UPDATE',
      event.caseId,
    );
    if (!referral) throw new Error(`Event ${event.type} names a referral intake does not hold`);
    await this.recordHistory(tx, event);
    await tx.referral.update({
      where: { id: event.caseId },
      data: {
        ...(progress ? { status: furthest(referral.status, progress) } : {}),
        ...(responsibleProvince ? { responsibleProvince } : {}),
      },
    });
  }

  private async recordHistory(tx: IntakeTx, event: EventEnvelope): Promise<void> {
    await tx.referralHistory.create({
      data: {
        referralId: event.caseId,
        eventId: event.eventId,
        type: event.type,
        occurredAt: new Date(event.occurredAt),
      },
    });
  }

  private ageBand(dto: SubmitReferralDto) {
    const fromAge = dto.person.age === undefined ? undefined : ageBandOf(dto.person.age);
    const given = dto.person.ageBand;
    if (fromAge && given && given !== fromAge) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'The request has invalid fields',
        errors: [{ field: 'person.ageBand', constraints: ['matchesAge'] }],
      });
    }
    const band = fromAge ?? given;
    if (!band || !isAgeBand(band)) throw new Error('Validation let through a referral without an age band');
    return band;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
