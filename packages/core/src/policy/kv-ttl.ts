import { isDict } from '../values/type-of.js';
import type { RillValue } from '../values/types.js';
import { kvError } from './kv-errors.js';

/** True when `ttl` is a usable number of seconds-to-live: finite and positive. */
export function isValidKvTtl(ttl: unknown): ttl is number {
  return typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0;
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
 * positive finite number (fractions allowed), overriding the mount default for this write.
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
      throw kvError('KV_INVALID_OPTION', 'opts.ttl must be a positive number of seconds', {
        mount,
        option: 'ttl',
      });
    }
    ttl = value;
  }
  return ttl === undefined ? {} : { ttl };
}
