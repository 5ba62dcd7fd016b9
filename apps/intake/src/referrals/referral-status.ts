/**
 * The referral's progress as the referrer sees it. Events from different
 * services may arrive out of order; the status only ever moves forward.
 */
export const REFERRAL_PROGRESS = ['submitted', 'routed', 'opened', 'notified'] as const;
export type ReferralProgress = (typeof REFERRAL_PROGRESS)[number];

export function furthest(current: ReferralProgress, next: ReferralProgress): ReferralProgress {
  return REFERRAL_PROGRESS.indexOf(next) > REFERRAL_PROGRESS.indexOf(current) ? next : current;
}
