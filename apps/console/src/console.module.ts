import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ConsoleSettings, consoleSettingsSchema } from '@nrm/config';
import { ObservabilityModule } from '@nrm/observability';
import { AdminController } from './admin/admin.controller';
import { QueueBoardHost } from './admin/queue-board.host';
import { Backends } from './backends/backends';
import { ProvinceDirectory } from './backends/province-directory';
import { CasesController } from './cases/cases.controller';
import { PageLanguageMiddleware } from './i18n/page-language';
import { ProvinceNamesInterceptor } from './i18n/province-names.interceptor';
import { InboxController } from './inbox/inbox.controller';
import { OffersController } from './offers/offers.controller';
import { OversightController } from './oversight/oversight.controller';
import { PageErrorsFilter } from './pages/page-errors.filter';
import { PreferencesController } from './preferences/preferences.controller';
import { ReferralsController } from './referrals/referrals.controller';
import { SessionCookies } from './session/console-session';
import { IdentityProvider } from './session/identity-provider';
import { PageAccessGuard } from './session/page-access';
import { SignInController } from './session/sign-in.controller';

@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      validationSchema: consoleSettingsSchema(),
      validationOptions: { abortEarly: false, allowUnknown: true },
    }),
    ObservabilityModule.forService('console'),
  ],
  controllers: [
    SignInController,
    ReferralsController,
    OffersController,
    CasesController,
    InboxController,
    PreferencesController,
    OversightController,
    AdminController,
  ],
  providers: [
    ConsoleSettings,
    SessionCookies,
    IdentityProvider,
    Backends,
    ProvinceDirectory,
    QueueBoardHost,
    { provide: APP_GUARD, useClass: PageAccessGuard },
    { provide: APP_FILTER, useClass: PageErrorsFilter },
    { provide: APP_INTERCEPTOR, useClass: ProvinceNamesInterceptor },
  ],
})
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(PageLanguageMiddleware).forRoutes('*path');
  }
}
