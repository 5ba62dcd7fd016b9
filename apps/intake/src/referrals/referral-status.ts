import type { ReferralStatus } from '../persistence/generated/enums';

/**
 * The referral's progress as the referrer sees it, in the order of the
 * `referral_status` enum. Events from different services may arrive out of
 * order; the status only ever moves forward (`GREATEST` over that enum).
 */
export type ReferralProgress = ReferralStatus;
