// Finds the Redis server every test file uses (resolveRedisUrl of @rillkit/test-services):
// REDIS_URL if set, else 127.0.0.1:6379 when it answers, else a redis-server started here on a
// free port (stopped at the end). Without any, tests are skipped with a loud reason locally
// and the run fails under CI.
import { gateService, resolveRedisUrl } from '@rillkit/test-services';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the tests use; '' when there is none (see redisSkipReason). */
    redisUrl: string;
    redisSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await gateService('@rillkit/ext-kv-redis: Redis tests', () => resolveRedisUrl());
  project.provide('redisUrl', redis.available ? redis.value.url : '');
  project.provide('redisSkipReason', redis.available ? '' : redis.reason);
  return async () => {
    if (redis.available) await redis.value.close();
  };
}
