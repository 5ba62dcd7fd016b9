import Redis from 'ioredis';

/** Leaves a shared Redis as it was: every key under the queue prefix goes. */
export async function dropQueueKeys(redisUrl: string, queuePrefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${queuePrefix}:*`, count: 500 })) {
      if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
    }
  } finally {
    redis.disconnect();
  }
}
