export { chooseTestInfrastructure, templateDatabase, TestInfrastructure } from './infrastructure';
export { ServiceProcess, ServiceProcessOptions } from './service-process';
export { eventually, inboxOf, InboxEntry, TestSystem } from './test-system';
