export { chooseTestInfrastructure, TestInfrastructure } from './infrastructure';
export { ServiceProcess, ServiceProcessOptions } from './service-process';
export { eventually, TEMPLATE_DATABASE, TestSystem } from './test-system';
