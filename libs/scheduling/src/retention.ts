import {
  Controller,
  DynamicModule,
  HttpCode,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Post,
  Type,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can } from '@nrm/auth';
import { PlatformSettings } from '@nrm/config';
import { DailyJob } from './daily-job';

const DAY_MS = 24 * 3_600_000;

/** What a service erases when its records pass their retention period; returns counts by kind. */
export abstract class RetentionPolicy {
  abstract erase(closedBefore: Date, now: Date): Promise<Record<string, number>>;
}

/**
 * Runs the service's retention policy daily at RETENTION_TIME (Bangkok):
 * records of cases closed more than RETENTION_DAYS_AFTER_CLOSURE ago lose
 * their identifying data and free text; the counts and facts stay for figures.
 */
@Injectable()
export class RetentionSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: DailyJob;

  constructor(
    private readonly settings: PlatformSettings,
    private readonly policy: RetentionPolicy,
  ) {
    this.job = new DailyJob('retention', settings, settings.retentionTime, () => this.run(new Date()));
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.job.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.job.stop();
  }

  run(now: Date): Promise<Record<string, number>> {
    return this.policy.erase(new Date(now.getTime() - this.settings.retentionDaysAfterClosure * DAY_MS), now);
  }
}

/** `POST /admin/retention/run`: runs the retention policy now (it is safe to run again). */
@ApiTags('retention')
@Controller('admin/retention')
export class RetentionController {
  constructor(private readonly schedule: RetentionSchedule) {}

  @Can('retention.run')
  @Post('run')
  @HttpCode(200)
  @ApiOperation({ summary: 'Erases now what has passed its retention period; returns how many records' })
  run() {
    return this.schedule.run(new Date());
  }
}

/** A service's retention: its policy, run daily and on an administrator's request. */
@Module({})
export class RetentionModule {
  static withPolicy(policy: Type<RetentionPolicy>): DynamicModule {
    return {
      module: RetentionModule,
      controllers: [RetentionController],
      providers: [{ provide: RetentionPolicy, useClass: policy }, RetentionSchedule],
    };
  }
}
