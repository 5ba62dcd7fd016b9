import { contractKey, EventContract } from './contract';
import { CaseOpened, CaseTransitioned, ServiceReferralTransitioned } from './events/case.events';
import { NotificationRecorded } from './events/notification.events';
import { ReferralDeadlineBreached, ReferralSubmitted, ReferralWithdrawn } from './events/referral.events';
import { ReferralRouted } from './events/routing.events';

/** Every event contract the system knows. A consumer refuses (dead-letters) any other. */
export const ALL_CONTRACTS: readonly EventContract[] = [
  ReferralSubmitted,
  ReferralDeadlineBreached,
  ReferralWithdrawn,
  ReferralRouted,
  CaseOpened,
  CaseTransitioned,
  ServiceReferralTransitioned,
  NotificationRecorded,
];

const byKey = new Map(
  ALL_CONTRACTS.map((contract) => [contractKey(contract.type, contract.version), contract]),
);

export function findContract(type: string, version: number): EventContract | undefined {
  return byKey.get(contractKey(type, version));
}
