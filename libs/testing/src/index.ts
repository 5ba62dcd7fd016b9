export { chooseTestInfrastructure, templateDatabase, TestInfrastructure } from './infrastructure';
export { ServiceProcess, ServiceProcessOptions } from './service-process';
export { eventually, TestSystem } from './test-system';
