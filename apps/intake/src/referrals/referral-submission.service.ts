import { Injectable } from '@nestjs/common';
import { NotVisible } from '@nrm/auth';
import { randomUUID } from 'node:crypto';
import { Actor, AgeBand, AGE_BANDS, ReferralSubmitted } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { FieldProblem, OutboxWriter, parseAs } from '@nrm/messaging';
import { FieldCipher, fieldCipherOf } from '@nrm/persistence';
import { Deadline, Deadlines } from '@nrm/scheduling';
import { IntakeDatabase, IntakeTx } from '../persistence/intake-database.service';
import { isChildBand, resolveAgeBand } from './age-band';
import { DocumentFingerprint, DuplicateTraits, matchDuplicate } from './duplicates';
import { recordHistory } from './referral-history';
import { isUrgent, submittedPayload } from './referral-payload';
import { OPENING_DEADLINE, ReferralsService, ReferralView, referralView } from './referrals.service';
import { SubmitReferralDto } from './submit-referral.dto';

/** The most possible duplicates flagged per referral (the best scores). */
const MAX_DUPLICATES = 10;

export interface PossibleDuplicateView {
  referralId: string;
  score: number;
  matchedOn: string[];
}

export type ReferralDetails = ReferralView & { possibleDuplicates: PossibleDuplicateView[] };

export type BatchRowResult = { row: number; referralId: string } | { row: number; errors: FieldProblem[] };

/** Validates a plain referral with the same rules as the HTTP pipe (unknown fields refused). */
export async function validateReferral(
  plain: unknown,
): Promise<{ referral: SubmitReferralDto; problems: [] } | { problems: FieldProblem[] }> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return { problems: [{ field: 'row', constraints: ['isObject'] }] };
  const { value: referral, problems } = await parseAs(SubmitReferralDto, plain);
  return problems.length ? { problems } : { referral, problems: [] };
}

/**
 * Takes in referrals: the referral with its non-identifying screening answers,
 * its identifying details encrypted, its possible duplicates, its first history
 * entry, its `referral.submitted` event and its opening deadline, in one
 * transaction. The same Idempotency-Key returns the referral already created.
 */
@Injectable()
export class ReferralSubmissionService {
  private readonly cipher: FieldCipher;
  private readonly fingerprint: DocumentFingerprint;

  constructor(
    private readonly db: IntakeDatabase,
    private readonly outbox: OutboxWriter,
    private readonly deadlines: Deadlines,
    private readonly settings: PlatformSettings,
    private readonly referrals: ReferralsService,
  ) {
    this.cipher = fieldCipherOf(settings);
    this.fingerprint = new DocumentFingerprint(settings.fieldEncryptionKey);
  }

  /** The actor is the case worker submitting; the referral's event names them (by account id only). */
  async submit(
    dto: SubmitReferralDto,
    idempotencyKey?: string,
    actor?: Actor,
  ): Promise<{ referral: ReferralDetails; created: boolean }> {
    const id = randomUUID();
    let created: { referral: ReferralDetails; deadline: Deadline };
    try {
      created = await this.db.$transaction((tx) => this.create(tx, id, dto, idempotencyKey, actor));
    } catch (error) {
      // The key was used before (a resend): the referral it created is the answer.
      const winner = isUniqueViolation(error) ? await this.byIdempotencyKey(idempotencyKey) : undefined;
      if (!winner) throw error;
      return { referral: await this.view(winner), created: false };
    }
    await this.deadlines.schedule(created.deadline);
    return { referral: created.referral, created: true };
  }

  /**
   * A mass handover: each row validated on its own and, when valid, submitted
   * as a single referral is (own transaction, event and deadline). With an
   * Idempotency-Key, row n is keyed `<key>#n`, so a resent batch creates nothing twice.
   */
  async submitBatch(rows: unknown[], idempotencyKey?: string, actor?: Actor): Promise<BatchRowResult[]> {
    const results: BatchRowResult[] = [];
    for (const [index, plain] of rows.entries()) {
      const row = index + 1;
      const checked = await validateReferral(plain);
      if (!('referral' in checked)) {
        results.push({ row, errors: checked.problems });
        continue;
      }
      const { referral } = await this.submit(
        checked.referral,
        idempotencyKey && `${idempotencyKey}#${row}`,
        actor,
      );
      results.push({ row, referralId: referral.id });
    }
    return results;
  }

  /** A case worker follows only the referrals they submitted; any other answers 404, as if it did not exist. */
  async mustBeSubmitter(id: string, actor: Actor): Promise<void> {
    const own = await this.db.referral.findFirst({
      where: { id, submittedBy: actor.id },
      select: { id: true },
    });
    if (!own) throw new NotVisible('referral', id);
  }

  async view(id: string): Promise<ReferralDetails> {
    const referral = await this.referrals.get(id);
    const flags = await this.db.possibleDuplicate.findMany({
      where: { OR: [{ referralId: id }, { candidateId: id }] },
      orderBy: [{ score: 'desc' }, { id: 'asc' }],
    });
    return {
      ...referral,
      possibleDuplicates: flags.map((flag) => ({
        referralId: flag.referralId === id ? flag.candidateId : flag.referralId,
        score: flag.score,
        matchedOn: flag.matchedOn,
      })),
    };
  }

  /** Creates the referral and answers with its view, made from what was written. */
  private async create(
    tx: IntakeTx,
    id: string,
    dto: SubmitReferralDto,
    idempotencyKey?: string,
    actor?: Actor,
  ): Promise<{ referral: ReferralDetails; deadline: Deadline }> {
    const ageBand = resolveAgeBand(dto.person.age, dto.person.ageBand);
    if (!ageBand) throw new Error('Validation let through a referral without a consistent age band');
    const traits: DuplicateTraits = {
      provinceCode: dto.found.provinceCode,
      nationality: dto.person.nationality,
      gender: dto.person.gender,
      ageBand,
      foundOn: dto.found.date,
      documentHmac: this.fingerprint.of(dto.identity?.documentNumber),
    };
    const duplicates = await this.findDuplicates(tx, traits);
    const consentGiver = dto.consent ?? dto.guardianOrBestInterest;
    const referral = await tx.referral.create({
      select: {
        id: true,
        status: true,
        caseState: true,
        provinceCode: true,
        responsibleProvince: true,
        submittedAt: true,
      },
      data: {
        id,
        idempotencyKey: idempotencyKey ?? null,
        status: 'submitted',
        referrerOrganisation: dto.referrer.organisation,
        submittedBy: actor?.id ?? null,
        cameToNoticeVia: dto.cameToNoticeVia,
        provinceCode: dto.found.provinceCode,
        foundOn: new Date(`${dto.found.date}T00:00:00Z`),
        ageBand,
        isChild: isChildBand(ageBand),
        gender: dto.person.gender,
        nationality: dto.person.nationality,
        exploitationTypes: dto.exploitationTypes,
        consentBasis: dto.consent ? 'person-consent' : (dto.guardianOrBestInterest?.kind ?? null),
        consentToShare: dto.consent?.shareWithServiceProviders ?? false,
        consentToContact: dto.consent?.contactLater ?? false,
        consentRecordedAt: consentGiver ? new Date(consentGiver.recordedAt) : null,
        forcedLabourSector: dto.forcedLabourSector ?? null,
        dangerLevel: dto.needs.dangerLevel,
        medicalNeed: dto.needs.medical,
        urgent: isUrgent(dto),
        screening: {
          indicators: {
            forcedLabour: dto.indicators?.forcedLabour ?? [],
            methodsOfControl: dto.indicators?.methodsOfControl ?? [],
          },
          needs: {
            shelter: dto.needs.shelter ?? false,
            legalAid: dto.needs.legalAid ?? false,
            interpreter: dto.needs.interpreter ?? false,
            wishToReturnHome: dto.needs.wishToReturnHome ?? false,
          },
          languages: dto.person.languages ?? [],
          interpreterNeeded: dto.person.interpreterNeeded ?? false,
          immigrationDocumentStatus: dto.person.immigrationDocumentStatus ?? 'unknown',
        },
        documentHmac: traits.documentHmac,
        identityCiphertext: this.cipher.encrypt({
          identity: dto.identity ?? {},
          narrative: dto.narrative ?? null,
          referrer: { officer: dto.referrer.officer, contactChannel: dto.referrer.contactChannel },
          person: {
            age: dto.person.age ?? null,
            district: dto.found.district ?? null,
            disability: dto.person.disability ?? null,
            disabilityKinds: dto.person.disabilityKinds ?? [],
            pregnancy: dto.person.pregnancy ?? null,
          },
          consentRecordedBy: consentGiver?.recordedBy ?? null,
        }),
      },
    });
    if (duplicates.length)
      await tx.possibleDuplicate.createMany({
        data: duplicates.map((match) => ({ referralId: id, ...match })),
      });
    const event = await this.outbox.append(tx, ReferralSubmitted, {
      caseId: id,
      ...(actor ? { actor } : {}),
      payload: submittedPayload(
        id,
        dto,
        ageBand,
        duplicates.map((match) => match.candidateId),
      ),
    });
    await recordHistory(tx, event);
    const deadline = await this.deadlines.create(tx, {
      caseId: id,
      kind: OPENING_DEADLINE,
      dueAt: new Date(Date.now() + this.settings.referralOpeningDeadlineMs),
    });
    const history = [{ type: event.type, detail: null, occurredAt: new Date(event.occurredAt) }];
    return {
      referral: {
        ...referralView(referral, history),
        possibleDuplicates: duplicates.map(({ candidateId, score, matchedOn }) => ({
          referralId: candidateId,
          score,
          matchedOn,
        })),
      },
      deadline,
    };
  }

  private async findDuplicates(tx: IntakeTx, traits: DuplicateTraits) {
    const window = this.settings.referralDuplicateWindowDays;
    const foundOn = Date.parse(`${traits.foundOn}T00:00:00Z`);
    const band = AGE_BANDS.indexOf(traits.ageBand);
    // Raw SQL: in a surge from one province this reads up to 200 rows for every submission, and a
    // model query pays Prisma's query compilation and row mapping on each of them.
    const candidates = await tx.$queryRawUnsafe<
      { id: string; ageBand: string; foundOn: string; documentHmac: string | null }[]
    >(
      `SELECT id::text, age_band AS "ageBand", to_char(found_on, 'YYYY-MM-DD') AS "foundOn",
              document_hmac AS "documentHmac"
         FROM referral
        WHERE province_code = $1 AND nationality = $2 AND gender = $3 AND age_band = ANY($4::text[])
          AND found_on BETWEEN $5::date AND $6::date
        ORDER BY submitted_at DESC
        LIMIT 200`,
      traits.provinceCode,
      traits.nationality,
      traits.gender,
      AGE_BANDS.slice(Math.max(band - 1, 0), band + 2),
      new Date(foundOn - window * 86_400_000).toISOString().slice(0, 10),
      new Date(foundOn + window * 86_400_000).toISOString().slice(0, 10),
    );
    return candidates
      .flatMap((candidate) => {
        const match = matchDuplicate(
          traits,
          {
            ...traits,
            ageBand: candidate.ageBand as AgeBand,
            foundOn: candidate.foundOn,
            documentHmac: candidate.documentHmac,
          },
          window,
        );
        return match ? [{ candidateId: candidate.id, ...match }] : [];
      })
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_DUPLICATES);
  }

  private async byIdempotencyKey(idempotencyKey: string | undefined): Promise<string | undefined> {
    if (!idempotencyKey) return undefined;
    const found = await this.db.referral.findUnique({ where: { idempotencyKey }, select: { id: true } });
    return found?.id;
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002';
}
