export {
  chooseTestInfrastructure,
  prepareDatabase,
  templateDatabase,
  TestInfrastructure,
} from './infrastructure';
export { PrivatePostgres, PrivateRedis } from './private-servers';
export { dropQueueKeys } from './queue-keys';
export { CATCH_UP_NICENESS, Deployable, ServiceProcess, ServiceProcessOptions } from './service-process';
export { eventually, inboxOf, InboxEntry, TestSystem } from './test-system';
export { AccountClaims } from '../../../tools/dev-identity/demo-accounts';
export { duplicatedCount, ExpectedOutcome, Outcome, outcomeOf } from './outcome-ledger';
export { ReferralGenerator } from './referral-generator';
export { Acknowledgement, ReferralSubmitter } from './referral-submitter';
export { eventMessage, referralSubmittedPayload } from './event-fixtures';
export { Changes, ODD_KEYS, ODD_SHAPES, SCALARS, variantsOf } from './variants';
