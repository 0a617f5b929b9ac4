// Where Redis tests run: REDIS_URL, else a server already on the default port, else a
// redis-server started here.
import { ServiceUnavailableError } from './service-gate.js';
import {
  type OwnRedisServer,
  hasRedisServerBinary,
  redisAnswers,
  startRedisServer,
} from './redis-server.js';

/** The Redis server to test against. */
export interface RedisTarget {
  /** A `redis://` URL that answered PING. */
  readonly url: string;
  /** The redis-server started for this run, if one was; undefined otherwise. */
  readonly server: OwnRedisServer | undefined;
  /** Stop the server started for this run (never one found running). */
  close(): Promise<void>;
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

/**
 * Find the Redis server to test against: `REDIS_URL` if set (it must answer PING within 3 s),
 * else `redis://127.0.0.1:6379` when something answers there, else a `redis-server` from the
 * PATH started on a free port without persistence.
 *
 * Tests sharing a server must isolate their keys (random prefixes) and never flush it.
 * Use it through {@link gateService} so a missing server skips locally and fails under CI.
 *
 * @throws {@link ServiceUnavailableError} when none of the three is there.
 */
export async function resolveRedisUrl(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<RedisTarget> {
  const fromEnv = env['REDIS_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    if (await redisAnswers(fromEnv, 3_000))
      return { url: fromEnv, server: undefined, close: async () => undefined };
    throw new ServiceUnavailableError(
      'Redis',
      'REDIS_URL is set but no Redis server answers there',
    );
  }
  if (await redisAnswers(DEFAULT_URL, 500))
    return { url: DEFAULT_URL, server: undefined, close: async () => undefined };
  if (hasRedisServerBinary()) {
    const server = await startRedisServer();
    return { url: server.url, server, close: () => server.kill() };
  }
  throw new ServiceUnavailableError(
    'Redis',
    'no REDIS_URL, nothing on 127.0.0.1:6379 and no redis-server on the PATH',
  );
}
