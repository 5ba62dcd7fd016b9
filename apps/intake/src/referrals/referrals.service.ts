import { Injectable, NotFoundException } from '@nestjs/common';
import { EventEnvelope } from '@nrm/contracts';
import { IntakeDatabase, IntakeTx } from '../persistence/intake-database.service';
import { recordHistory } from './referral-history';
import { furthest, ReferralProgress } from './referral-status';

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
    progress: ReferralProgress | null,
    responsibleProvince?: string,
    lifecycle?: { caseState?: string; detail: string },
  ): Promise<void> {
    // Events about one referral arrive on several topics at once: the row lock
    // serialises them so that the status only moves forward.
    const [referral] = await tx.$queryRawUnsafe<{ status: ReferralProgress }[]>(
      'SELECT status::text AS status FROM referral WHERE id = $1::uuid FOR UPDATE',
      event.caseId,
    );
    if (!referral) throw new Error(`Event ${event.type} names a referral intake does not hold`);
    await recordHistory(tx, event, lifecycle?.detail);
    await tx.referral.update({
      where: { id: event.caseId },
      data: {
        ...(progress ? { status: furthest(referral.status, progress) } : {}),
        ...(responsibleProvince ? { responsibleProvince } : {}),
        ...(lifecycle?.caseState ? { caseState: lifecycle.caseState } : {}),
      },
    });
  }
}
