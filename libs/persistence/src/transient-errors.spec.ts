import { isTransientInfrastructureError } from './transient-errors';

describe('isTransientInfrastructureError', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    [
      'PostgreSQL shutting down',
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    ],
    [
      'a Prisma pool timeout',
      Object.assign(new Error('Timed out fetching a new connection'), { code: 'P2024' }),
    ],
    ['a serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    [
      'a lock held elsewhere past lock_timeout',
      Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' }),
    ],
    [
      "a raw query's deadlock, as Prisma reports it",
      Object.assign(new Error('Raw query failed. Code: `40P01`'), {
        code: 'P2010',
        meta: {
          driverAdapterError: { name: 'DriverAdapterError', cause: { code: '40P01', kind: 'postgres' } },
        },
      }),
    ],
    [
      'a wrapped cause',
      new Error('query failed', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
    ],
  ])('waits out %s', (_name, error) => {
    expect(isTransientInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })],
    ['a bug in a handler', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-error', 'oops'],
  ])('does not wait out %s', (_name, error) => {
    expect(isTransientInfrastructureError(error)).toBe(false);
  });
});
