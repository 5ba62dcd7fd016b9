import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { AuditTrail } from './audit-trail';
import { DeniedAccessFilter } from './denied-access.filter';

/** Each service's append-only, hash-chained audit trail, the interceptor that feeds it and its query API. */
@Global()
@Module({
  controllers: [AuditController],
  providers: [
    AuditTrail,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    { provide: APP_FILTER, useClass: DeniedAccessFilter },
  ],
  exports: [AuditTrail],
})
export class AuditModule {}
