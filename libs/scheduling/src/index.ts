export { AfterBreach, DeadlineBreachHandler } from './deadline.worker';
export { Deadline, DeadlineChanges, Deadlines, DEADLINES_QUEUE, NewDeadline } from './deadlines';
export { redisConnection, RedisCheck, SchedulingModule } from './scheduling.module';
export { DAILY_JOB_TIME_ZONE, DailyJob, dailyPattern } from './daily-job';
export { RetentionModule, RetentionPolicy } from './retention';
