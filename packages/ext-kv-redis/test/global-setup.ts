// Finds the Redis server every test file uses: REDIS_URL if set, else 127.0.0.1:6379 when it
// answers, else a redis-server started here on a free port (stopped at the end). Without
// any, tests are skipped with a loud reason locally and the run fails under CI.
import type { TestProject } from 'vitest/node';
import {
  type OwnRedisServer,
  hasRedisServerBinary,
  redisAnswers,
  startRedisServer,
} from './helpers/redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server the tests use; '' when there is none (see redisSkipReason). */
    redisUrl: string;
    redisSkipReason: string;
  }
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let own: OwnRedisServer | undefined;
  let url = '';
  let reason = '';
  const fromEnv = process.env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await redisAnswers(fromEnv, 3_000)) url = fromEnv;
    else reason = 'REDIS_URL is set but no Redis server answers there';
  } else if (await redisAnswers(DEFAULT_URL, 500)) {
    url = DEFAULT_URL;
  } else if (hasRedisServerBinary()) {
    own = await startRedisServer();
    url = own.url;
  } else {
    reason = 'no REDIS_URL, nothing on 127.0.0.1:6379 and no redis-server on the PATH';
  }
  if (url === '') {
    const banner = `@rillkit/ext-kv-redis: Redis tests SKIPPED — ${reason}`;
    if (
      process.env['CI'] !== undefined &&
      process.env['CI'] !== '' &&
      process.env['CI'] !== 'false'
    )
      throw new Error(`${banner} (CI is set, so this fails the run)`);
    console.warn(`\n${'!'.repeat(banner.length)}\n${banner}\n${'!'.repeat(banner.length)}\n`);
  }
  project.provide('redisUrl', url);
  project.provide('redisSkipReason', reason);
  return async () => {
    await own?.kill();
  };
}
