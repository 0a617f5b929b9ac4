// What every test file shares: the server URL from the global setup, isolation by random
// prefix, and cleanup of exactly the keys a test made (never FLUSHALL/FLUSHDB).
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  type OwnRedisServer,
  hasRedisServerBinary,
  isCI,
  startRedisServer,
} from '@rillkit/test-services';
import { afterAll, afterEach, beforeAll, describe, inject } from 'vitest';

/** The Redis URL of this run ('' when there is none). */
export const REDIS_URL = inject('redisUrl');

/** `describe`, or `describe.skip` with the global setup's reason in the title when there is no server. */
export const describeRedis: typeof describe =
  REDIS_URL === ''
    ? (((name: string, ...rest: unknown[]) =>
        (describe.skip as (...args: unknown[]) => void)(
          `${name} (skipped: ${inject('redisSkipReason')})`,
          ...rest,
        )) as unknown as typeof describe)
    : describe;

/**
 * `describe` for tests that start (and kill) a redis-server of their own. Without the
 * binary they skip locally, the title saying why, and fail under CI like every other
 * real-service test.
 */
export const describeOwnServer: typeof describe = ((name: string, ...rest: unknown[]) => {
  if (!hasRedisServerBinary()) {
    if (isCI()) throw new Error(`CI needs redis-server on the PATH for "${name}"`);
    return (describe.skip as (...args: unknown[]) => void)(
      `${name} (skipped: no redis-server on the PATH)`,
      ...rest,
    );
  }
  return (describeRedis as (...args: unknown[]) => void)(name, ...rest);
}) as unknown as typeof describe;

/** A fresh random key prefix: letters and digits, then ':'. */
export function randomPrefix(label = 'rk'): string {
  return `${label}${randomBytes(6).toString('hex')}:`;
}

/** A plain ioredis client for checking and cleaning up behind the extension's back. */
export function rawClient(url = REDIS_URL): Redis {
  return new Redis(url, { maxRetriesPerRequest: 1 });
}

/**
 * Delete every key starting with `prefix` (index keys included), also inside a hash tag
 * (`{prefix...`). The prefix is escaped, so glob characters in it match literally.
 */
export async function dropKeys(client: Redis, prefix: string): Promise<number> {
  let removed = 0;
  for (const pattern of [`${globEscape(prefix)}*`, `{${globEscape(prefix)}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await client.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next.toString();
      if (keys.length > 0) removed += await client.del(...keys);
    } while (cursor !== '0');
  }
  return removed;
}

/** Every key (as bytes shown latin1) starting with `prefix`, for "nothing left behind" checks. */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await client.scanBuffer(
      cursor,
      'MATCH',
      `${globEscape(prefix)}*`,
      'COUNT',
      1000,
    );
    cursor = next.toString();
    out.push(...keys.map((k) => k.toString('latin1')));
  } while (cursor !== '0');
  return out.sort();
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * Call inside a `describe`: a raw client opened for the block, and fresh random prefixes
 * whose keys (index included) are dropped after each test.
 */
export function rawClientPerBlock(): { readonly raw: () => Redis; readonly prefix: () => string } {
  let client: Redis | undefined;
  const prefixes: string[] = [];
  beforeAll(() => {
    client = rawClient();
  });
  afterEach(async () => {
    for (const p of prefixes.splice(0)) await dropKeys(client as Redis, p);
  });
  afterAll(async () => {
    await client?.quit();
  });
  return {
    raw: () => client as Redis,
    prefix: () => {
      const p = randomPrefix();
      prefixes.push(p);
      return p;
    },
  };
}

/**
 * For a `describeOwnServer` block: a redis-server of its own, started before the block's
 * tests with an admin client on it (`prepare` runs next, e.g. to add ACL users), and both
 * stopped after them.
 */
export function ownServerPerBlock(prepare?: (admin: Redis) => Promise<void>): {
  readonly server: () => OwnRedisServer;
  readonly admin: () => Redis;
} {
  let server: OwnRedisServer | undefined;
  let admin: Redis | undefined;
  beforeAll(async () => {
    server = await startRedisServer();
    admin = rawClient(server.url);
    await prepare?.(admin);
  });
  afterAll(async () => {
    await admin?.quit();
    await server?.kill();
  });
  return { server: () => server as OwnRedisServer, admin: () => admin as Redis };
}
