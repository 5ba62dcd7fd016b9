import { Controller, DynamicModule, Get, Inject, Module, Provider, Type } from '@nestjs/common';
import { Public } from '@nrm/auth';
import { HealthCheck, HealthCheckService, HealthIndicatorResult, TerminusModule } from '@nestjs/terminus';

/** A dependency the service cannot work without; each library contributes its own. */
export interface DependencyCheck {
  check(): Promise<HealthIndicatorResult>;
}

export const DEPENDENCY_CHECKS = Symbol('DEPENDENCY_CHECKS');

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(DEPENDENCY_CHECKS) private readonly checks: DependencyCheck[],
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check(this.checks.map((dependency) => () => dependency.check()));
  }
}

/** `GET /health`: 200 when every dependency answers, 503 with the failing ones otherwise. */
@Module({})
export class HealthModule {
  static withChecks(checks: Type<DependencyCheck>[], imports: DynamicModule['imports'] = []): DynamicModule {
    const aggregate: Provider = {
      provide: DEPENDENCY_CHECKS,
      inject: checks,
      useFactory: (...instances: DependencyCheck[]) => instances,
    };
    return {
      module: HealthModule,
      imports: [TerminusModule, ...imports],
      controllers: [HealthController],
      providers: [...checks, aggregate],
    };
  }
}
