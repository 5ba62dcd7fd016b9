export { chooseTestInfrastructure, templateDatabase, TestInfrastructure } from './infrastructure';
export { dropQueueKeys } from './queue-keys';
export { Deployable, ServiceProcess, ServiceProcessOptions } from './service-process';
export { eventually, inboxOf, InboxEntry, TestSystem } from './test-system';
export { AccountClaims } from '../../../tools/dev-identity/demo-accounts';
