export * from './case-machine';
export * from './service-referral-machine';
export * from './paths';
