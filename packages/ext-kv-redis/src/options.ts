import {
  type KvExtensionOptions,
  type KvMountOptions,
  type KvWritePolicy,
  assertKnownKvOptions,
  hasLoneSurrogate,
  isNonEmptyString,
  isPlainObject,
  isWholeNumberIn,
  kvConfigError,
} from '@rillkit/core';
import type { Cluster, Redis } from 'ioredis';

/** A connected or connectable ioredis client: a `Redis` instance or a `Cluster`. */
export type RedisKvClient = Redis | Cluster;

/** Options of one mount of {@link createRedisKvExtension}: the common kv options plus where its keys live. */
export interface RedisKvMountOptions extends KvMountOptions {
  /**
   * Required, non-empty: every Redis key of the mount starts with it (`'app:user:'` stores
   * key `name` as `app:user:name`). Two mounts of one extension may not have overlapping
   * prefixes (one starting with the other). Keys of the mount's index start with it too.
   */
  readonly prefix: string;
  /**
   * Wrap the prefix in a Redis Cluster hash tag (`{app:user:}name`) so that every key of the
   * mount, its index included, lands in one cluster slot. Required for every mount when
   * `client` is a `Cluster`. Default `false`.
   */
  readonly hashTag?: boolean;
}

/** Options of {@link createRedisKvExtension}. Give exactly one of `url` and `client`. */
export interface RedisKvOptions extends KvExtensionOptions<RedisKvMountOptions> {
  /**
   * `redis://[[user]:password@]host[:port][/db]` or `rediss://...` (TLS). The extension
   * opens one connection for all its mounts and closes it on `dispose()`.
   */
  readonly url?: string;
  /**
   * An existing ioredis client to use instead of `url`, shared by all mounts. The extension
   * does not own it: `dispose()` leaves it connected, and its own options (offline queue,
   * retries, timeouts) stay as the host set them, while the extension still bounds every
   * call by `connectTimeout` and `commandTimeout`.
   */
  readonly client?: RedisKvClient;
  /**
   * Write policy of every mount that does not set its own. Only `'immediate'` is supported:
   * every write is on the server when the call returns.
   */
  readonly writePolicy?: KvWritePolicy;
  /**
   * Most milliseconds a call waits for a (re)connection before failing with
   * `KV_BACKEND_UNAVAILABLE`. Default 1,000.
   */
  readonly connectTimeout?: number;
  /**
   * Most milliseconds one Redis command may take before the call fails with
   * `KV_BACKEND_UNAVAILABLE` (the command may still have been applied). Default 2,000.
   * With an owned connection it is checked every `min(250, commandTimeout / 4)` ms, so a
   * stuck command fails at most that much later; the connection is then reopened.
   */
  readonly commandTimeout?: number;
}

/** Default `connectTimeout`, in ms. */
export const REDIS_KV_DEFAULT_CONNECT_TIMEOUT = 1_000;
/** Default `commandTimeout`, in ms. */
export const REDIS_KV_DEFAULT_COMMAND_TIMEOUT = 2_000;

/** The top-level options of {@link RedisKvOptions}, validated, with defaults filled in. */
export interface ResolvedRedisKvOptions {
  /** Exactly one of `url` and `client` is set. */
  readonly url: string | undefined;
  readonly client: RedisKvClient | undefined;
  readonly writePolicy: KvWritePolicy | undefined;
  readonly connectTimeout: number;
  readonly commandTimeout: number;
}

const TOP_LEVEL_OPTIONS = [
  'mounts',
  'namespace',
  'now',
  'url',
  'client',
  'writePolicy',
  'connectTimeout',
  'commandTimeout',
];

/** The backend's own mount options, which core lets through to the backend factory. */
export const REDIS_KV_MOUNT_OPTIONS: readonly string[] = Object.freeze(['prefix', 'hashTag']);

/**
 * Validate the top-level options (core validates `mounts`, `namespace` and `now`).
 * @throws `KV_INVALID_CONFIG` naming the field: an unknown option, both or neither of
 *   `url` and `client`, a URL that is not `redis://` or `rediss://`, a `client` that is not
 *   an ioredis client, a `writePolicy` other than `'immediate'`, a timeout that is not a
 *   positive integer of ms. Messages never repeat the URL (it may hold a password).
 */
export function resolveRedisKvOptions(options: unknown): ResolvedRedisKvOptions {
  assertKnownKvOptions(options, TOP_LEVEL_OPTIONS, '');
  const { url, client } = options;
  // Each given value is checked before the pair, so a `url: null` next to a client is named
  // as the bad url it is, not read as "left out" (docs/ref-storage.md, "Options fail closed").
  if (url === undefined && client === undefined)
    throw kvConfigError('url', 'required: a redis:// URL (or pass an ioredis client as client)');
  if (url !== undefined && !isRedisUrl(url))
    throw kvConfigError('url', 'must be a redis:// or rediss:// URL');
  if (client !== undefined && !isRedisClient(client))
    throw kvConfigError('client', 'must be an ioredis Redis or Cluster instance');
  if (url !== undefined && client !== undefined)
    throw kvConfigError('client', 'give either url or client, not both');
  // ioredis would prefix the keys the extension passes but not the index keys its scripts
  // derive from them, splitting a mount in two.
  const keyPrefix = (client as { options?: { keyPrefix?: unknown } } | undefined)?.options
    ?.keyPrefix;
  if (typeof keyPrefix === 'string' && keyPrefix !== '')
    throw kvConfigError('client', 'must not have a keyPrefix: give each mount a prefix instead');
  const writePolicy = options['writePolicy'];
  if (writePolicy !== undefined && writePolicy !== 'immediate') {
    throw kvConfigError(
      'writePolicy',
      writePolicy === 'dispose'
        ? 'the redis backend supports immediate only: every write reaches the server before the call returns'
        : 'must be immediate',
    );
  }
  return {
    url: url as string | undefined,
    client: client as RedisKvClient | undefined,
    writePolicy,
    connectTimeout: timeout(
      options['connectTimeout'],
      REDIS_KV_DEFAULT_CONNECT_TIMEOUT,
      'connectTimeout',
    ),
    commandTimeout: timeout(
      options['commandTimeout'],
      REDIS_KV_DEFAULT_COMMAND_TIMEOUT,
      'commandTimeout',
    ),
  };
}

/**
 * Validate one mount's `prefix` and `hashTag` and return its key space: the string every
 * Redis key of the mount starts with (`prefix`, or `{prefix}` with a hash tag).
 * @throws `KV_INVALID_CONFIG` (`mounts.<name>.prefix` / `.hashTag`).
 */
export function resolveKeySpace(mount: string, options: Readonly<Record<string, unknown>>): string {
  const { prefix, hashTag } = options;
  const at = `mounts.${mount}`;
  if (!isNonEmptyString(prefix)) {
    throw kvConfigError(
      `${at}.prefix`,
      "required: a non-empty string every key of the mount starts with, e.g. 'app:user:'",
    );
  }
  if (hasLoneSurrogate(prefix))
    throw kvConfigError(`${at}.prefix`, 'must be valid Unicode (it holds an unpaired surrogate)');
  if (hashTag !== undefined && typeof hashTag !== 'boolean')
    throw kvConfigError(`${at}.hashTag`, 'must be true or false');
  return hashTag === true ? `{${prefix}}` : prefix;
}

/**
 * Fill in the top-level `writePolicy` for mounts that do not set their own; everything else
 * passes through unchanged for core to validate.
 */
export function applyDefaultWritePolicy<M>(
  mounts: unknown,
  writePolicy: KvWritePolicy | undefined,
): Readonly<Record<string, M>> {
  if (writePolicy === undefined || !isPlainObject(mounts))
    return mounts as Readonly<Record<string, M>>;
  const out: Record<string, unknown> = {};
  for (const [name, mount] of Object.entries(mounts)) {
    out[name] =
      isPlainObject(mount) && mount['writePolicy'] === undefined
        ? { ...mount, writePolicy }
        : mount;
  }
  return out as Readonly<Record<string, M>>;
}

function isRedisUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const { protocol, hostname } = new URL(url);
    return (protocol === 'redis:' || protocol === 'rediss:') && hostname !== '';
  } catch {
    return false;
  }
}

// Duck-typed rather than instanceof, so a client from another copy of ioredis works.
function isRedisClient(client: unknown): boolean {
  const c = client as Partial<Record<string, unknown>> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c['evalsha'] === 'function' &&
    typeof c['eval'] === 'function' &&
    typeof c['status'] === 'string' &&
    typeof c['once'] === 'function'
  );
}

function timeout(value: unknown, fallback: number, field: string): number {
  if (value === undefined) return fallback;
  if (!isWholeNumberIn(value, 1, 2 ** 31 - 1))
    throw kvConfigError(field, 'must be a positive integer number of milliseconds');
  return value;
}
