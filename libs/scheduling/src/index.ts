export { AfterBreach, DeadlineBreachHandler } from './deadline.worker';
export { Deadline, DeadlineChanges, Deadlines, DEADLINES_QUEUE, NewDeadline } from './deadlines';
export { redisConnection } from './redis-connection';
export { RedisCheck, SchedulingModule } from './scheduling.module';
export { DiscoveredQueues, WATCHED_JOB_STATES } from './queue-discovery';
export { BANGKOK_OFFSET_MS, BANGKOK_TIME_ZONE, bangkokDate } from './bangkok-time';
export { DailyJob, dailyPattern } from './daily-job';
export { RetentionModule, RetentionPolicy } from './retention';
