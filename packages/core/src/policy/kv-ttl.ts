import { isDict } from '../values/type-of.js';
import type { RillValue } from '../values/types.js';
import { kvError } from './kv-errors.js';

/**
 * The longest TTL a write or mount may ask for: 10^10 seconds (about 317 years). Without a
 * bound, a TTL near the largest double makes the expiry `Infinity`, which JSON cannot hold
 * (a JSON store wrote `null` there and could not load itself again) and no backend can
 * store exactly; every backend refuses it the same way instead.
 */
export const MAX_KV_TTL_SECONDS = 1e10;

/** True when `ttl` is a usable number of seconds-to-live: positive, at most {@link MAX_KV_TTL_SECONDS}. */
export function isValidKvTtl(ttl: unknown): ttl is number {
  return typeof ttl === 'number' && ttl > 0 && ttl <= MAX_KV_TTL_SECONDS;
}

/**
 * The absolute expiry (ms since the epoch) of a write made at `now` with `ttlSeconds`
 * to live, or `undefined` when there is no TTL.
 * @example kvExpiresAt(1_000, 1.5) // 2_500
 */
export function kvExpiresAt(now: number, ttlSeconds: number | undefined): number | undefined {
  return ttlSeconds === undefined ? undefined : now + ttlSeconds * 1000;
}

/** The per-call options `set` and `add` accept. */
export interface KvWriteOptions {
  /** Seconds-to-live of this write, overriding the mount's `ttl`. */
  readonly ttl?: number;
}

/**
 * Read the `opts` dict of `set` / `add`. The only option is `ttl`: seconds-to-live, a
 * positive number up to {@link MAX_KV_TTL_SECONDS} (fractions allowed), overriding the mount
 * default for this write.
 * @throws `KV_INVALID_OPTION` for a non-dict `opts`, an unknown option, or an unusable `ttl`.
 * @example readKvWriteOptions(new Map([['ttl', 0.5]]), 'cache') // { ttl: 0.5 }
 */
export function readKvWriteOptions(opts: RillValue, mount: string): KvWriteOptions {
  if (!isDict(opts)) {
    throw kvError('KV_INVALID_OPTION', 'opts must be a dict, e.g. [ttl: 60]', { mount });
  }
  let ttl: number | undefined;
  for (const [name, value] of opts) {
    if (name !== 'ttl') {
      throw kvError('KV_INVALID_OPTION', `unknown option "${name}" (the only option is ttl)`, {
        mount,
        option: name,
      });
    }
    if (!isValidKvTtl(value)) {
      throw kvError(
        'KV_INVALID_OPTION',
        'opts.ttl must be a positive number of seconds, at most 1e10',
        {
          mount,
          option: 'ttl',
        },
      );
    }
    ttl = value;
  }
  return ttl === undefined ? {} : { ttl };
}
