export { DeadlineBreachHandler } from './deadline.worker';
export { Deadline, Deadlines, DEADLINES_QUEUE } from './deadlines';
export { redisConnection, RedisCheck, SchedulingModule } from './scheduling.module';
