export { PlatformConfigModule } from './platform-config.module';
export { PlatformSettings } from './platform-settings';
export {
  CATCH_UP_SERVICES,
  CatchUpService,
  DEFAULT_PORTS,
  DEVELOPMENT_ISSUER,
  SERVICE_NAMES,
  ServiceName,
  settingsSchema,
} from './settings.schema';
export {
  CONSOLE_DEFAULT_PORT,
  ConsoleSettings,
  consoleSettingsSchema,
  DEVELOPMENT_SESSION_SECRET,
} from './console-settings';
