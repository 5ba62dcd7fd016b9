import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { TokenVerifier } from './token-verifier';

/** Bearer-token authentication and role permissions for every HTTP endpoint of a service. */
@Global()
@Module({
  providers: [TokenVerifier, { provide: APP_GUARD, useClass: AccessGuard }],
  exports: [TokenVerifier],
})
export class AuthModule {}
