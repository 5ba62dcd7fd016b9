import { Injectable } from '@nestjs/common';
import { NotVisible } from '@nrm/auth';
import { randomUUID } from 'node:crypto';
import { Actor, AgeBand, AGE_BANDS, EventEnvelope, ReferralSubmitted } from '@nrm/contracts';
import { PlatformSettings } from '@nrm/config';
import { FieldProblem, OutboxWriter, parseAs } from '@nrm/messaging';
import { currentOrNewCorrelationId, withCorrelation } from '@nrm/observability';
import { FieldCipher, fieldCipherOf, GroupedCalls } from '@nrm/persistence';
import { Deadline, Deadlines } from '@nrm/scheduling';
import { IntakeDatabase, IntakeTx } from '../persistence/intake-database.service';
import { isChildBand, resolveAgeBand } from './age-band';
import { DocumentFingerprint, DuplicateMatch, DuplicateTraits, matchDuplicate } from './duplicates';
import { recordHistories } from './referral-history';
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
  const { value: referral, problems } = parseAs(SubmitReferralDto, plain);
  return problems.length ? { problems } : { referral, problems: [] };
}

/** A submission validated and encrypted, waiting for its group's transaction. */
interface PendingSubmission {
  id: string;
  idempotencyKey: string | null;
  correlationId: string;
  actor?: Actor;
  dto: SubmitReferralDto;
  traits: DuplicateTraits;
  /** The referral's columns, as the insert reads them. */
  row: Record<string, unknown>;
}

/** A new referral, or the referral a resent Idempotency-Key (or a retried group) had already created. */
type SubmissionOutcome = { created: ReferralDetails } | { existing: string };

/**
 * How many submissions share one transaction. One group at a time, so that each
 * submission is compared for duplicates with every one before it, including
 * those sent at the same moment or in the same batch.
 */
const SUBMISSION_GROUPS = { groupSize: 64, concurrent: 1 };

/**
 * Takes in referrals: the referral with its non-identifying screening answers,
 * its identifying details encrypted, its possible duplicates, its first history
 * entry, its `referral.submitted` event and its opening deadline, in one
 * transaction. The same Idempotency-Key returns the referral already created.
 *
 * Submissions that arrive together share that transaction (group commit): one
 * multi-row statement per table for all of them. In a surge this is most of
 * intake's cost; when it is quiet a submission runs alone, at once. If a group
 * fails, each of its submissions is tried again alone, so that one cannot fail
 * for another's input.
 */
@Injectable()
export class ReferralSubmissionService {
  private readonly cipher: FieldCipher;
  private readonly fingerprint: DocumentFingerprint;
  private readonly submissions = new GroupedCalls<PendingSubmission, SubmissionOutcome>(
    (group) => this.createAll(group),
    SUBMISSION_GROUPS,
  );

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
    const submission = this.prepare(dto, idempotencyKey, actor);
    const outcome = await this.submissions
      .run(submission)
      .catch(async () => (await this.createAll([submission]))[0]);
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
        const { referral } = await this.submit(
          checked.referral,
          idempotencyKey && `${idempotencyKey}#${row}`,
          actor,
        );
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
  private prepare(dto: SubmitReferralDto, idempotencyKey?: string, actor?: Actor): PendingSubmission {
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

  /** Creates a group's referrals in one transaction, then queues their opening deadlines. */
  private async createAll(group: readonly PendingSubmission[]): Promise<SubmissionOutcome[]> {
    const { outcomes, deadlines } = await this.db.$transaction((tx) => this.write(tx, group));
    await this.deadlines.scheduleAll(deadlines);
    return outcomes;
  }

  private async write(
    tx: IntakeTx,
    group: readonly PendingSubmission[],
  ): Promise<{ outcomes: SubmissionOutcome[]; deadlines: Deadline[] }> {
    const submittedAt = await this.insertReferrals(tx, group);
    const created = group.filter((submission) => submittedAt.has(submission.id));
    const duplicates = await this.findDuplicates(tx, created);
    const flags = created.flatMap((submission, index) =>
      duplicates[index].map((match) => ({ referralId: submission.id, ...match })),
    );
    if (flags.length)
      await tx.$executeRawUnsafe(
        `INSERT INTO possible_duplicate (referral_id, candidate_id, score, matched_on)
         SELECT "referralId", "candidateId", score, "matchedOn"
           FROM jsonb_to_recordset($1::jsonb) AS flag("referralId" uuid, "candidateId" uuid, score int, "matchedOn" text[])`,
        JSON.stringify(flags),
      );
    this.outbox.collectWithin(tx);
    const events: EventEnvelope[] = [];
    for (const [index, submission] of created.entries())
      events.push(
        await withCorrelation(submission.correlationId, () =>
          this.outbox.append(tx, ReferralSubmitted, {
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
    await this.outbox.writeCollected(tx);
    await recordHistories(
      tx,
      events.map((event) => ({ event })),
    );
    const deadlines = await this.deadlines.createAll(
      tx,
      created.map((submission) => ({
        caseId: submission.id,
        kind: OPENING_DEADLINE,
        dueAt: new Date(Date.now() + this.settings.referralOpeningDeadlineMs),
      })),
    );
    const views = new Map(
      created.map((submission, index): [string, SubmissionOutcome] => [
        submission.id,
        {
          created: {
            ...referralView(
              {
                id: submission.id,
                status: 'submitted',
                caseState: null,
                provinceCode: submission.traits.provinceCode,
                responsibleProvince: null,
                submittedAt: submittedAt.get(submission.id) as Date,
              },
              [{ type: events[index].type, detail: null, occurredAt: new Date(events[index].occurredAt) }],
            ),
            possibleDuplicates: duplicates[index].map(({ candidateId, score, matchedOn }) => ({
              referralId: candidateId,
              score,
              matchedOn,
            })),
          },
        },
      ]),
    );
    const existing = await this.alreadyCreated(
      tx,
      group.filter((submission) => !views.has(submission.id)),
    );
    const outcomes = group.map(
      (submission) => views.get(submission.id) ?? { existing: existing.get(submission.id) as string },
    );
    return { outcomes, deadlines };
  }

  /**
   * One insert for the group, in its order. A submission whose id or
   * Idempotency-Key is taken is skipped, not an error: the key was used before
   * (a resend), or the group was retried after its commit went unanswered.
   * Returns each inserted referral's submission time.
   */
  private async insertReferrals(
    tx: IntakeTx,
    group: readonly PendingSubmission[],
  ): Promise<Map<string, Date>> {
    const rows = await tx.$queryRawUnsafe<{ id: string; submittedAt: Date }[]>(
      `INSERT INTO referral (id, idempotency_key, status, referrer_organisation, submitted_by, came_to_notice_via,
         province_code, found_on, age_band, is_child, gender, nationality, exploitation_types, consent_basis,
         consent_to_share, consent_to_contact, consent_recorded_at, forced_labour_sector, danger_level,
         medical_need, urgent, screening, document_hmac, identity_ciphertext, submitted_at, updated_at)
       SELECT id, "idempotencyKey", 'submitted', "referrerOrganisation", "submittedBy", "cameToNoticeVia",
              "provinceCode", "foundOn", "ageBand", "isChild", gender, nationality, "exploitationTypes", "consentBasis",
              "consentToShare", "consentToContact", "consentRecordedAt", "forcedLabourSector", "dangerLevel",
              "medicalNeed", urgent, screening, "documentHmac", "identityCiphertext", clock_timestamp(), clock_timestamp()
         FROM jsonb_to_recordset($1::jsonb) AS submission(position int, id uuid, "idempotencyKey" text,
              "referrerOrganisation" text, "submittedBy" text, "cameToNoticeVia" text, "provinceCode" text,
              "foundOn" date, "ageBand" text, "isChild" boolean, gender text, nationality text,
              "exploitationTypes" text[], "consentBasis" text, "consentToShare" boolean, "consentToContact" boolean,
              "consentRecordedAt" timestamptz, "forcedLabourSector" text, "dangerLevel" text, "medicalNeed" text,
              urgent boolean, screening jsonb, "documentHmac" text, "identityCiphertext" text)
        ORDER BY position
       ON CONFLICT DO NOTHING
       RETURNING id::text, submitted_at AS "submittedAt"`,
      JSON.stringify(
        group.map((submission, position) => ({
          position,
          id: submission.id,
          idempotencyKey: submission.idempotencyKey,
          ...submission.row,
        })),
      ),
    );
    return new Map(rows.map((row) => [row.id, row.submittedAt]));
  }

  /** For each submission not inserted (by its id): the referral its id or Idempotency-Key already names. */
  private async alreadyCreated(
    tx: IntakeTx,
    skipped: readonly PendingSubmission[],
  ): Promise<Map<string, string>> {
    if (skipped.length === 0) return new Map();
    const rows = await tx.$queryRawUnsafe<{ id: string; idempotencyKey: string | null }[]>(
      `SELECT id::text, idempotency_key AS "idempotencyKey" FROM referral
        WHERE id = ANY($1::uuid[]) OR idempotency_key = ANY($2::text[])`,
      skipped.map((submission) => submission.id),
      skipped.flatMap((submission) => (submission.idempotencyKey ? [submission.idempotencyKey] : [])),
    );
    return new Map(
      skipped.map((submission) => {
        const found =
          rows.find((row) => row.id === submission.id) ??
          rows.find(
            (row) => submission.idempotencyKey !== null && row.idempotencyKey === submission.idempotencyKey,
          );
        if (!found) throw new Error('A submission was neither inserted nor found among earlier referrals');
        return [submission.id, found.id];
      }),
    );
  }

  /**
   * Each new referral's possible duplicates among earlier ones, in the order
   * given: one statement for the group. The group's own referrals are already
   * visible to it, so each excludes itself and those submitted after it in the group.
   */
  private async findDuplicates(
    tx: IntakeTx,
    created: readonly PendingSubmission[],
  ): Promise<(DuplicateMatch & { candidateId: string })[][]> {
    if (created.length === 0) return [];
    const window = this.settings.referralDuplicateWindowDays;
    const searches = created.map((submission, index) => {
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
        notEarlier: created.slice(index).map((later) => later.id),
      };
    });
    const candidates = await tx.$queryRawUnsafe<
      { referralId: string; id: string; ageBand: string; foundOn: string; documentHmac: string | null }[]
    >(
      `SELECT search.id::text AS "referralId", candidate.id::text, candidate.age_band AS "ageBand",
              to_char(candidate.found_on, 'YYYY-MM-DD') AS "foundOn", candidate.document_hmac AS "documentHmac"
         FROM jsonb_to_recordset($1::jsonb) AS search(id uuid, "provinceCode" text, nationality text, gender text,
              "ageBands" text[], "from" date, "to" date, "notEarlier" uuid[])
        CROSS JOIN LATERAL (
          SELECT id, age_band, found_on, document_hmac FROM referral
           WHERE province_code = search."provinceCode" AND nationality = search.nationality
             AND gender = search.gender AND age_band = ANY(search."ageBands")
             AND found_on BETWEEN search."from" AND search."to" AND id <> ALL(search."notEarlier")
           ORDER BY submitted_at DESC
           LIMIT 200) AS candidate`,
      JSON.stringify(searches),
    );
    const candidatesOf = new Map(created.map((submission) => [submission.id, [] as typeof candidates]));
    for (const candidate of candidates) candidatesOf.get(candidate.referralId)?.push(candidate);
    return created.map((submission) =>
      (candidatesOf.get(submission.id) ?? [])
        .flatMap((candidate) => {
          const match = matchDuplicate(
            submission.traits,
            {
              ...submission.traits,
              ageBand: candidate.ageBand as AgeBand,
              foundOn: candidate.foundOn,
              documentHmac: candidate.documentHmac,
            },
            window,
          );
          return match ? [{ candidateId: candidate.id, ...match }] : [];
        })
        .sort((a, b) => b.score - a.score)
        .slice(0, MAX_DUPLICATES),
    );
  }
}
