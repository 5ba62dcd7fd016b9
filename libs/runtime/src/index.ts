export { HostedService, runService, runServices } from './bootstrap';
export { invalidFields } from './invalid-fields';
export { strictValidationOptions, strictValidationPipe } from './validation-pipe';
export { DEFAULT_LIST_LIMIT, ListQuery } from './list-query';
export { PlatformModule, PlatformOptions } from './platform.module';
export * from './i18n';
