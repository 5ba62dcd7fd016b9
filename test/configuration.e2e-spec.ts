import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

describe('a service started with a wrong setting', () => {
  it('stops at once with every problem named', () => {
    const result = spawnSync(
      process.execPath,
      [path.join(__dirname, '..', 'dist', 'apps', 'routing', 'src', 'main.js')],
      {
        env: { ...process.env, KAFKA_BROKERS: 'nowhere', DATABASE_POOL_SIZE: '0' },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    const fatal = JSON.parse(result.stderr.trim().split('\n').pop() as string) as {
      level: string;
      message: string;
    };
    expect(fatal.level).toBe('fatal');
    expect(fatal.message).toContain('routing failed to start');
    expect(fatal.message).toContain('KAFKA_BROKERS');
    expect(fatal.message).toContain('DATABASE_POOL_SIZE');
  });
});
