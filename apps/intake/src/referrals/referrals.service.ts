import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEnvelope } from '@nrm/contracts';
import { IntakeDatabase, IntakeTx } from '../persistence/intake-database.service';
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
    return {
      id: referral.id,
      // Once the province moves the case, its lifecycle state is what the referrer needs to see.
      status: referral.caseState ?? referral.status,
      foundInProvince: referral.provinceCode,
      responsibleProvince: referral.responsibleProvince,
      submittedAt: referral.submittedAt.toISOString(),
      history: referral.history.map((entry) => ({
        type: entry.type,
        ...(entry.detail ? { detail: entry.detail } : {}),
        occurredAt: entry.occurredAt.toISOString(),
      })),
    };
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

  /** Applies a downstream event to the referrer's view: history entry, status, responsible province. */
  async project(
    tx: IntakeTx,
    event: EventEnvelope,
    progress: ReferralStatus | null,
    responsibleProvince?: string,
    lifecycle?: { caseState?: string; detail: string },
  ): Promise<void> {
    // Events about one referral arrive on several topics at once. The UPDATE
    // takes the row lock and, after waiting for another, sees the status that
    // one left; referral_status is declared in progress order, so GREATEST
    // only ever moves it forward. The history row is written by the same statement.
    const recorded = await tx.$executeRawUnsafe(
      `WITH moved AS (
         UPDATE referral
            SET status = GREATEST(status, COALESCE($2::referral_status, status)),
                responsible_province = COALESCE($3, responsible_province),
                case_state = COALESCE($4, case_state),
                updated_at = now()
          WHERE id = $1::uuid
         RETURNING id)
       INSERT INTO referral_history (referral_id, event_id, type, detail, occurred_at)
       SELECT id, $5::uuid, $6, $7, $8::timestamptz FROM moved`,
      event.caseId,
      progress,
      responsibleProvince ?? null,
      lifecycle?.caseState ?? null,
      event.eventId,
      event.type,
      lifecycle?.detail ?? null,
      event.occurredAt,
    );
    if (recorded === 0) throw new Error(`Event ${event.type} names a referral intake does not hold`);
  }
}
