export { AfterBreach, DeadlineBreachHandler } from './deadline.worker';
export { Deadline, DeadlineChanges, Deadlines, DEADLINES_QUEUE, NewDeadline } from './deadlines';
export { redisConnection, RedisCheck, SchedulingModule } from './scheduling.module';
