import { type ExtensionResult, defineKvExtension, kvConfigError } from '@rillkit/core';
import {
  REDIS_KV_MOUNT_OPTIONS,
  type RedisKvMountOptions,
  type RedisKvOptions,
  applyDefaultWritePolicy,
  resolveKeySpace,
  resolveRedisKvOptions,
} from './options.js';
import { RedisConnection } from './redis-connection.js';
import { RedisKvBackend } from './redis-kv.js';

/**
 * A kv extension whose mounts live in Redis, each under its own key prefix, all sharing
 * one connection. Mount semantics are core's (docs/ref-storage.md); every atomic operation is
 * one server-side Lua script, so it stays atomic across processes and other clients.
 *
 * - `url` opens a connection of the extension's own (lazily, on the first call) that
 *   `dispose()` closes; `client` borrows a host's ioredis client that `dispose()` leaves open.
 * - A call that cannot reach the server fails with `KV_BACKEND_UNAVAILABLE` within
 *   `connectTimeout` + `commandTimeout`; once the server is back, calls succeed again.
 * - Only the `'immediate'` write policy is supported.
 *
 * @throws `KV_INVALID_CONFIG` naming the field, before any I/O: bad or unknown options,
 *   both or neither of `url` and `client`, a missing or empty `prefix`, overlapping
 *   prefixes, a non-boolean `hashTag`, a mount without `hashTag` on a `Cluster` client,
 *   `writePolicy: 'dispose'`.
 * @example
 * const kv = createRedisKvExtension({
 *   url: 'redis://localhost:6379',
 *   mounts: {
 *     user: { prefix: 'app:user:', schema: { name: { type: 'string', default: '' } } },
 *     cache: { prefix: 'app:cache:', ttl: 3600 },
 *   },
 * });
 * const ctx = createRuntimeContext({ functions: kv.functions });
 * await execute(parse('kv::incr("cache", "hits")'), ctx);
 * await kv.dispose();
 */
export function createRedisKvExtension(options: RedisKvOptions): ExtensionResult {
  const resolved = resolveRedisKvOptions(options);
  const isCluster = (resolved.client as { isCluster?: unknown } | undefined)?.isCluster === true;
  const spaces = new Map<string, string>();
  let connection: RedisConnection | undefined;
  const shared = (): RedisConnection => (connection ??= new RedisConnection(resolved));
  try {
    return defineKvExtension<RedisKvMountOptions>({
      mounts: applyDefaultWritePolicy<RedisKvMountOptions>(options.mounts, resolved.writePolicy),
      namespace: options.namespace,
      now: options.now,
      backendOptions: REDIS_KV_MOUNT_OPTIONS,
      createBackend(mount, mountOptions, context) {
        const space = resolveKeySpace(mount, mountOptions as unknown as Record<string, unknown>);
        if (isCluster && mountOptions.hashTag !== true) {
          throw kvConfigError(
            `mounts.${mount}.hashTag`,
            'must be true with a Cluster client, so that a mount and its index share one slot',
          );
        }
        for (const [other, otherSpace] of spaces) {
          if (space.startsWith(otherSpace) || otherSpace.startsWith(space)) {
            throw kvConfigError(
              `mounts.${mount}.prefix`,
              `overlaps the keys of mount "${other}" (one key space starts with the other)`,
            );
          }
        }
        spaces.set(mount, space);
        return new RedisKvBackend({ connection: shared(), space, now: context.now });
      },
      dispose: async () => {
        await connection?.close();
      },
    });
  } catch (error) {
    // A config error: release the connection object if one was made (no I/O happened yet).
    void connection?.close();
    throw error;
  }
}
