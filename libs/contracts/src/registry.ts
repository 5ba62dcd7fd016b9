import { contractKey, EventContract } from './contract';
import {
  CaseAssigned,
  CaseDeadlineUpdated,
  CaseEscalated,
  CaseEscalationResolved,
  CaseOpened,
  CaseTransitioned,
  FollowUpVisitRecorded,
  ServiceReferralTransitioned,
} from './events/case.events';
import { NotificationRecorded } from './events/notification.events';
import { ReferralDeadlineBreached, ReferralSubmitted, ReferralWithdrawn } from './events/referral.events';
import { ReferralRouted, ServiceOfferRouted } from './events/routing.events';

/** Every event contract the system knows. A consumer refuses (dead-letters) any other. */
export const ALL_CONTRACTS: readonly EventContract[] = [
  ReferralSubmitted,
  ReferralDeadlineBreached,
  ReferralWithdrawn,
  ReferralRouted,
  ServiceOfferRouted,
  CaseOpened,
  CaseTransitioned,
  ServiceReferralTransitioned,
  CaseDeadlineUpdated,
  CaseEscalated,
  CaseEscalationResolved,
  CaseAssigned,
  FollowUpVisitRecorded,
  NotificationRecorded,
];

const byKey = new Map(
  ALL_CONTRACTS.map((contract) => [contractKey(contract.type, contract.version), contract]),
);

export function findContract(type: string, version: number): EventContract | undefined {
  return byKey.get(contractKey(type, version));
}
