import { Injectable } from '@nestjs/common';
import { NotVisible } from '@nrm/auth';
import { randomUUID } from 'node:crypto';
import { AuditRecord, AuditTrail } from '@nrm/audit';
import { Actor, AgeBand, AGE_BANDS, ReferralSubmitted } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { FieldProblem, OutboxWriter, parseAs } from '@nrm/messaging';
import { currentOrNewCorrelationId, withCorrelation } from '@nrm/observability';
import {
  FieldCipher,
  fieldCipherOf,
  GroupedCalls,
  jsonRecords,
  runAsOneStatement,
  SqlPart,
} from '@nrm/persistence';
import { Deadlines } from '@nrm/scheduling';
import { IntakeDatabase } from '../persistence/intake-database.service';
import { isChildBand, resolveAgeBand } from './age-band';
import { DocumentFingerprint, DuplicateMatch, DuplicateTraits, matchDuplicate } from './duplicates';
import { historyInsertion } from './referral-history';
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
export function validateReferral(
  plain: unknown,
): { referral: SubmitReferralDto; problems: [] } | { problems: FieldProblem[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain))
    return { problems: [{ field: 'row', constraints: ['isObject'] }] };
  const parsed = parseAs(SubmitReferralDto, plain);
  return 'value' in parsed ? { referral: parsed.value, problems: [] } : parsed;
}

/** What a submission carries besides the referral: who submits it, and how it is recorded. */
export interface SubmissionOptions {
  /** Resubmitting with the same key returns the referral it created. */
  idempotencyKey?: string;
  /** The case worker submitting; the referral's event names them (by account id only). */
  actor?: Actor;
  /** The request's audit entry, committed with the referral (its handler is `@AuditedWithChange`). */
  audit?: AuditRecord;
}

/** A submission validated and encrypted, waiting for its group's statement. */
interface PendingSubmission extends Pick<SubmissionOptions, 'actor' | 'audit'> {
  id: string;
  idempotencyKey: string | null;
  correlationId: string;
  dto: SubmitReferralDto;
  traits: DuplicateTraits;
  /** The referral's columns, as the insert reads them. */
  row: Record<string, unknown>;
}

/** A new referral, or the referral a resent Idempotency-Key (or a retried group) had already created. */
type SubmissionOutcome = { created: ReferralDetails } | { existing: string };

/**
 * How many submissions share one statement. One group at a time, so that each
 * submission is compared for duplicates with every one before it, including
 * those sent at the same moment or in the same batch.
 */
const SUBMISSION_GROUPS = { groupSize: 64, concurrent: 1 };

/**
 * Takes in referrals: the referral with its non-identifying screening answers,
 * its identifying details encrypted, its possible duplicates, its first history
 * entry, its `referral.submitted` event, its opening deadline and the request's
 * audit entry, committed together. The same Idempotency-Key returns the
 * referral already created.
 *
 * Submissions that arrive together are written together (group commit): one
 * read and one statement for all of them. In a surge this is most of intake's
 * cost; when it is quiet a submission runs alone, at once. If a group fails,
 * each of its submissions is tried again alone, so that one cannot fail for
 * another's input.
 */
@Injectable()
export class ReferralSubmissionService {
  private readonly cipher: FieldCipher;
  private readonly fingerprint: DocumentFingerprint;
  private readonly submissions = new GroupedCalls<PendingSubmission, SubmissionOutcome>(
    async (group) => (await this.createAll(group)).map((created) => ({ created })),
    SUBMISSION_GROUPS,
  );

  constructor(
    private readonly db: IntakeDatabase,
    private readonly outbox: OutboxWriter,
    private readonly deadlines: Deadlines,
    private readonly settings: PlatformSettings,
    private readonly referrals: ReferralsService,
    private readonly trail: AuditTrail,
  ) {
    this.cipher = fieldCipherOf(settings);
    this.fingerprint = new DocumentFingerprint(settings.fieldEncryptionKey);
  }

  async submit(
    dto: SubmitReferralDto,
    options: SubmissionOptions = {},
  ): Promise<{ referral: ReferralDetails; created: boolean }> {
    const submission = this.prepare(dto, options);
    const outcome = await this.submissions.run(submission).catch(() => this.submitAlone(submission));
    if ('created' in outcome) return { referral: outcome.created, created: true };
    return { referral: await this.view(outcome.existing), created: false };
  }

  /**
   * A mass handover: each row validated on its own and, when valid, submitted
   * as a single referral is (its own event and deadline; valid rows do not fail
   * for an invalid one). With an Idempotency-Key, row n is keyed `<key>#n`, so a
   * resent batch creates nothing twice.
   */
  async submitBatch(rows: unknown[], idempotencyKey?: string, actor?: Actor): Promise<BatchRowResult[]> {
    return Promise.all(
      rows.map(async (plain, index): Promise<BatchRowResult> => {
        const row = index + 1;
        const checked = validateReferral(plain);
        if (!('referral' in checked)) return { row, errors: checked.problems };
        const { referral } = await this.submit(checked.referral, {
          idempotencyKey: idempotencyKey && `${idempotencyKey}#${row}`,
          actor,
        });
        return { row, referralId: referral.id };
      }),
    );
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

  /** Everything a submission needs that does not touch the database, done in the caller's request. */
  private prepare(
    dto: SubmitReferralDto,
    { idempotencyKey, actor, audit }: SubmissionOptions,
  ): PendingSubmission {
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
    const consentGiver = dto.consent ?? dto.guardianOrBestInterest;
    return {
      id: randomUUID(),
      idempotencyKey: idempotencyKey ?? null,
      correlationId: currentOrNewCorrelationId(),
      ...(actor ? { actor } : {}),
      ...(audit ? { audit } : {}),
      dto,
      traits,
      row: {
        referrerOrganisation: dto.referrer.organisation,
        submittedBy: actor?.id ?? null,
        cameToNoticeVia: dto.cameToNoticeVia,
        provinceCode: dto.found.provinceCode,
        foundOn: dto.found.date,
        ageBand,
        isChild: isChildBand(ageBand),
        gender: dto.person.gender,
        nationality: dto.person.nationality,
        exploitationTypes: dto.exploitationTypes,
        consentBasis: dto.consent ? 'person-consent' : (dto.guardianOrBestInterest?.kind ?? null),
        consentToShare: dto.consent?.shareWithServiceProviders ?? false,
        consentToContact: dto.consent?.contactLater ?? false,
        consentRecordedAt: consentGiver ? new Date(consentGiver.recordedAt).toISOString() : null,
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
    };
  }

  /**
   * After its group failed: the submission written alone, or, when its id or
   * Idempotency-Key is taken, the referral that holds it (a resend, or a group
   * whose commit went unanswered).
   */
  private async submitAlone(submission: PendingSubmission): Promise<SubmissionOutcome> {
    try {
      const [created] = await this.createAll([submission]);
      return { created };
    } catch (error) {
      const existing = await this.alreadyCreated(submission);
      if (!existing) throw error;
      // A resend changes nothing, but the request is on the trail like any other.
      if (submission.audit && existing !== submission.id) await this.trail.record(submission.audit);
      return { existing };
    }
  }

  /**
   * Writes a group's referrals with one read and one statement (no
   * transaction to open and commit): their possible duplicates are found
   * first, then each referral, its duplicate flags, its `referral.submitted`
   * event, its first history entry, its opening deadline and its audit entry
   * commit together. Under a surge each round trip waits for a core, so the
   * acknowledgement waits for two instead of ten. A taken id or
   * Idempotency-Key fails the statement, and so the group. The deadlines' jobs
   * are queued without the callers waiting: the reconciler queues any missed.
   */
  private async createAll(group: readonly PendingSubmission[]): Promise<ReferralDetails[]> {
    const duplicates = await this.findDuplicates(group);
    const submittedAt = new Date();
    const composed = group.map((submission, index) =>
      withCorrelation(submission.correlationId, () =>
        this.outbox.compose(ReferralSubmitted, {
          caseId: submission.id,
          ...(submission.actor ? { actor: submission.actor } : {}),
          payload: submittedPayload(
            submission.id,
            submission.dto,
            submission.traits.ageBand,
            duplicates[index].map((match) => match.candidateId),
          ),
        }),
      ),
    );
    const flags = group.flatMap((submission, index) =>
      duplicates[index].map((match) => ({ referralId: submission.id, ...match })),
    );
    const deadlines = this.deadlines.identify(
      group.map((submission) => ({
        caseId: submission.id,
        kind: OPENING_DEADLINE,
        dueAt: new Date(submittedAt.getTime() + this.settings.referralOpeningDeadlineMs),
      })),
    );
    const audits = group.flatMap((submission) => (submission.audit ? [submission.audit] : []));
    await runAsOneStatement(this.db, [
      referralInsertion(group, submittedAt),
      ...(flags.length > 0 ? [flagInsertion(flags)] : []),
      ...this.outbox.insertion(composed.map(({ message }) => message)),
      historyInsertion(composed.map(({ envelope }) => ({ event: envelope }))),
      this.deadlines.insertion(deadlines),
      ...(audits.length > 0 ? [this.trail.appending(audits)] : []),
    ]);
    void this.deadlines.scheduleAll(deadlines);
    return group.map((submission, index) => ({
      ...referralView(
        {
          id: submission.id,
          status: 'submitted',
          caseState: null,
          provinceCode: submission.traits.provinceCode,
          responsibleProvince: null,
          submittedAt,
        },
        [
          {
            type: ReferralSubmitted.type,
            detail: null,
            occurredAt: new Date(composed[index].envelope.occurredAt),
          },
        ],
      ),
      possibleDuplicates: duplicates[index].map(({ candidateId, score, matchedOn }) => ({
        referralId: candidateId,
        score,
        matchedOn,
      })),
    }));
  }

  /** The referral this submission's id or Idempotency-Key already names, if any. */
  private async alreadyCreated(submission: PendingSubmission): Promise<string | undefined> {
    const [found] = await this.db.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text FROM referral WHERE id = $1::uuid OR idempotency_key = $2
        ORDER BY id = $1::uuid DESC LIMIT 1`,
      submission.id,
      submission.idempotencyKey,
    );
    return found?.id;
  }

  /**
   * Each submission's possible duplicates, in the order given: among the
   * referrals written (one statement for the group), and among the group's
   * members before it, which are not written yet.
   */
  private async findDuplicates(
    group: readonly PendingSubmission[],
  ): Promise<(DuplicateMatch & { candidateId: string })[][]> {
    const window = this.settings.referralDuplicateWindowDays;
    const searches = group.map((submission) => {
      const foundOn = Date.parse(`${submission.traits.foundOn}T00:00:00Z`);
      const band = AGE_BANDS.indexOf(submission.traits.ageBand);
      return {
        id: submission.id,
        provinceCode: submission.traits.provinceCode,
        nationality: submission.traits.nationality,
        gender: submission.traits.gender,
        ageBands: AGE_BANDS.slice(Math.max(band - 1, 0), band + 2),
        from: new Date(foundOn - window * 86_400_000).toISOString().slice(0, 10),
        to: new Date(foundOn + window * 86_400_000).toISOString().slice(0, 10),
      };
    });
    const candidates = await this.db.$queryRawUnsafe<
      { referralId: string; id: string; ageBand: string; foundOn: string; documentHmac: string | null }[]
    >(
      `SELECT search.id::text AS "referralId", candidate.id::text, candidate.age_band AS "ageBand",
              to_char(candidate.found_on, 'YYYY-MM-DD') AS "foundOn", candidate.document_hmac AS "documentHmac"
         FROM ${jsonRecords(
           '$1',
           `id uuid, "provinceCode" text, nationality text, gender text,
              "ageBands" text[], "from" date, "to" date`,
         )} AS search
        CROSS JOIN LATERAL (
          SELECT id, age_band, found_on, document_hmac FROM referral
           WHERE province_code = search."provinceCode" AND nationality = search.nationality
             AND gender = search.gender AND age_band = ANY(search."ageBands")
             AND found_on BETWEEN search."from" AND search."to" AND id <> ALL($2::uuid[])
           ORDER BY submitted_at DESC
           LIMIT 200) AS candidate`,
      JSON.stringify(searches),
      group.map((submission) => submission.id),
    );
    const candidatesOf = new Map(group.map((submission) => [submission.id, [] as typeof candidates]));
    for (const candidate of candidates) candidatesOf.get(candidate.referralId)?.push(candidate);
    return group.map((submission, index) => {
      const notWritten = group
        .slice(0, index)
        .reverse()
        .map((before) => ({ candidateId: before.id, traits: before.traits }));
      const earlierStored = (candidatesOf.get(submission.id) ?? []).map((candidate) => ({
        candidateId: candidate.id,
        traits: {
          ...submission.traits,
          ageBand: candidate.ageBand as AgeBand,
          foundOn: candidate.foundOn,
          documentHmac: candidate.documentHmac,
        },
      }));
      return [...notWritten, ...earlierStored]
        .flatMap(({ candidateId, traits }) => {
          const match = matchDuplicate(submission.traits, traits, window);
          return match ? [{ candidateId, ...match }] : [];
        })
        .sort((a, b) => b.score - a.score)
        .slice(0, MAX_DUPLICATES);
    });
  }
}

/**
 * The statement that inserts a group's referrals, in its order: the
 * submission time is the group's, a microsecond apart each, so that they
 * list in the order they came.
 */
function referralInsertion(group: readonly PendingSubmission[], submittedAt: Date): SqlPart {
  return {
    text: `INSERT INTO referral (id, idempotency_key, status, referrer_organisation, submitted_by, came_to_notice_via,
             province_code, found_on, age_band, is_child, gender, nationality, exploitation_types, consent_basis,
             consent_to_share, consent_to_contact, consent_recorded_at, forced_labour_sector, danger_level,
             medical_need, urgent, screening, document_hmac, identity_ciphertext, submitted_at, updated_at)
           SELECT id, "idempotencyKey", 'submitted', "referrerOrganisation", "submittedBy", "cameToNoticeVia",
                  "provinceCode", "foundOn", "ageBand", "isChild", gender, nationality, "exploitationTypes",
                  "consentBasis", "consentToShare", "consentToContact", "consentRecordedAt", "forcedLabourSector",
                  "dangerLevel", "medicalNeed", urgent, screening, "documentHmac", "identityCiphertext",
                  $2::timestamptz + position * interval '1 microsecond',
                  $2::timestamptz + position * interval '1 microsecond'
             FROM ${jsonRecords(
               '$1',
               `position int, id uuid, "idempotencyKey" text,
                  "referrerOrganisation" text, "submittedBy" text, "cameToNoticeVia" text, "provinceCode" text,
                  "foundOn" date, "ageBand" text, "isChild" boolean, gender text, nationality text,
                  "exploitationTypes" text[], "consentBasis" text, "consentToShare" boolean,
                  "consentToContact" boolean, "consentRecordedAt" timestamptz, "forcedLabourSector" text,
                  "dangerLevel" text, "medicalNeed" text, urgent boolean, screening jsonb, "documentHmac" text,
                  "identityCiphertext" text`,
             )} AS submission
            ORDER BY position
           RETURNING id`,
    values: [
      JSON.stringify(
        group.map((submission, position) => ({
          position,
          id: submission.id,
          idempotencyKey: submission.idempotencyKey,
          ...submission.row,
        })),
      ),
      submittedAt.toISOString(),
    ],
  };
}

function flagInsertion(
  flags: readonly ({ referralId: string; candidateId: string } & DuplicateMatch)[],
): SqlPart {
  return {
    text: `INSERT INTO possible_duplicate (referral_id, candidate_id, score, matched_on)
           SELECT "referralId", "candidateId", score, "matchedOn"
             FROM ${jsonRecords('$1', `"referralId" uuid, "candidateId" uuid, score int, "matchedOn" text[]`)} AS flag
           RETURNING referral_id`,
    values: [JSON.stringify(flags)],
  };
}
