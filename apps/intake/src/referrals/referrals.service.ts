import { Injectable, NotFoundException } from '@nestjs/common';
import { jsonRecords } from '@nrm/persistence';
import { IntakeDatabase, IntakeTx } from '../persistence/intake-database.service';
import { Referral, ReferralHistory } from '../persistence/generated/client';
import { ReferralStatus } from '../persistence/generated/enums';

export const OPENING_DEADLINE = 'referral.opening';

export interface ReferralView {
  id: string;
  status: string;
  foundInProvince: string;
  responsibleProvince: string | null;
  submittedAt: string;
  history: { type: string; detail?: string; occurredAt: string }[];
}

export type ReferralSummary = Omit<ReferralView, 'history'>;

/** What the referrer sees of a referral and its history. */
export function referralView(
  referral: Pick<
    Referral,
    'id' | 'status' | 'caseState' | 'provinceCode' | 'responsibleProvince' | 'submittedAt'
  >,
  history: Pick<ReferralHistory, 'type' | 'detail' | 'occurredAt'>[],
): ReferralView {
  return {
    id: referral.id,
    // Once the province moves the case, its lifecycle state is what the referrer needs to see.
    status: referral.caseState ?? referral.status,
    foundInProvince: referral.provinceCode,
    responsibleProvince: referral.responsibleProvince,
    submittedAt: referral.submittedAt.toISOString(),
    history: history.map((entry) => ({
      type: entry.type,
      ...(entry.detail ? { detail: entry.detail } : {}),
      occurredAt: entry.occurredAt.toISOString(),
    })),
  };
}

/** The referrer's view of each referral, kept current from downstream events (submission: ReferralSubmissionService). */
@Injectable()
export class ReferralsService {
  constructor(private readonly db: IntakeDatabase) {}

  async get(id: string): Promise<ReferralView> {
    const referral = await this.db.referral.findUnique({
      where: { id },
      include: { history: { orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }] } },
    });
    if (!referral) throw new NotFoundException('No such referral');
    return referralView(referral, referral.history);
  }

  /** The referrals one case worker submitted, newest first: what "my referrals" lists. */
  async submittedBy(accountId: string, limit: number): Promise<ReferralSummary[]> {
    const referrals = await this.db.referral.findMany({
      where: { submittedBy: accountId },
      orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
    return referrals.map((referral) => ({
      id: referral.id,
      status: referral.caseState ?? referral.status,
      foundInProvince: referral.provinceCode,
      responsibleProvince: referral.responsibleProvince,
      submittedAt: referral.submittedAt.toISOString(),
    }));
  }

  /**
   * Applies downstream events to the referrers' view, all in one statement:
   * a history entry for each, and each referral's status, responsible
   * province and case state moved on.
   */
  async project(tx: IntakeTx, changes: readonly ReferralProgress[]): Promise<void> {
    if (changes.length === 0) return;
    // Events about one referral arrive on several topics at once. The UPDATE
    // takes the row lock and, after waiting for another, sees the status that
    // one left; referral_status is declared in progress order, so GREATEST
    // (and max over one group's events) only ever moves it forward. Of the
    // province and case state, the group's last event wins, as when applied one by one.
    const recorded = await tx.$queryRawUnsafe<{ referralId: string }[]>(
      `WITH change AS (
         SELECT * FROM ${jsonRecords(
           '$1',
           `"referralId" uuid, "eventId" uuid, type text,
           progress referral_status, "responsibleProvince" text, "caseState" text, detail text,
           "occurredAt" timestamptz, position int`,
         )} AS change),
       latest AS (
         SELECT "referralId", max(progress) AS progress,
                (array_agg("responsibleProvince" ORDER BY position DESC)
                   FILTER (WHERE "responsibleProvince" IS NOT NULL))[1] AS "responsibleProvince",
                (array_agg("caseState" ORDER BY position DESC) FILTER (WHERE "caseState" IS NOT NULL))[1] AS "caseState"
           FROM change GROUP BY "referralId"),
       moved AS (
         UPDATE referral
            SET status = GREATEST(status, COALESCE(latest.progress, status)),
                responsible_province = COALESCE(latest."responsibleProvince", responsible_province),
                case_state = COALESCE(latest."caseState", case_state),
                updated_at = now()
           FROM latest
          WHERE referral.id = latest."referralId"
         RETURNING referral.id)
       INSERT INTO referral_history (referral_id, event_id, type, detail, occurred_at)
       SELECT change."referralId", change."eventId", change.type, change.detail, change."occurredAt"
         FROM change JOIN moved ON moved.id = change."referralId"
       RETURNING referral_id::text AS "referralId"`,
      JSON.stringify(changes.map((change, position) => ({ ...change, position }))),
    );
    if (recorded.length < changes.length) {
      const held = new Set(recorded.map((row) => row.referralId));
      const unknown = changes.find((change) => !held.has(change.referralId.toLowerCase()));
      throw new Error(`Event ${unknown?.type} names a referral intake does not hold`);
    }
  }
}

/** What one downstream event changes in the referrer's view of a referral. */
export interface ReferralProgress {
  referralId: string;
  eventId: string;
  type: string;
  progress: ReferralStatus | null;
  responsibleProvince: string | null;
  caseState: string | null;
  detail: string | null;
  occurredAt: string;
}
