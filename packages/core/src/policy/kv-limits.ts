import type { KvLimits, KvRecord, KvStatsDelta, KvStoreStats } from '../contracts/kv.js';
import { kvError } from './kv-errors.js';
import { utf8Length } from './kv-keys.js';

/** Default `maxEntries` of a kv mount. */
export const KV_DEFAULT_MAX_ENTRIES = 10_000;
/** Default `maxValueSize` of a kv mount, in bytes of value JSON. */
export const KV_DEFAULT_MAX_VALUE_SIZE = 102_400;
/** Default `maxStoreSize` of a kv mount, in bytes (10 MiB). */
export const KV_DEFAULT_MAX_STORE_SIZE = 10 * 1024 * 1024;

/** Bytes one entry counts toward `maxStoreSize`: UTF-8 bytes of the key plus of the value JSON. */
export function kvEntrySize(key: string, record: KvRecord): number {
  return utf8Length(key) + utf8Length(record.value);
}

/**
 * How replacing `before` by `after` under `key` changes the store's stats. Pass
 * `undefined` for an absent (or expired) record on either side.
 * @example kvRecordDelta('a', undefined, { value: '1', expiresAt: undefined }) // { entries: 1, size: 2 }
 */
export function kvRecordDelta(
  key: string,
  before: KvRecord | undefined,
  after: KvRecord | undefined,
): KvStatsDelta {
  const keyBytes = before === undefined && after === undefined ? 0 : utf8Length(key);
  const sizeBefore = before === undefined ? 0 : keyBytes + utf8Length(before.value);
  const sizeAfter = after === undefined ? 0 : keyBytes + utf8Length(after.value);
  return {
    entries: (after === undefined ? 0 : 1) - (before === undefined ? 0 : 1),
    size: sizeAfter - sizeBefore,
  };
}

/** Sum of several deltas (for `setMany`). */
export function addKvDeltas(deltas: Iterable<KvStatsDelta>): KvStatsDelta {
  let entries = 0;
  let size = 0;
  for (const d of deltas) {
    entries += d.entries;
    size += d.size;
  }
  return { entries, size };
}

/**
 * Decide whether a change fits the limits; backends call it inside the lock / transaction
 * that performs the write, with the stats of the unexpired entries at that moment.
 *
 * A change that does not grow a dimension never fails on it, so a store that is over a
 * lowered limit can still shrink. At the limit is fine; one entry or one byte past it fails.
 *
 * @throws `KV_TOO_MANY_ENTRIES` when `stats.entries + change.entries > limits.maxEntries`.
 * @throws `KV_STORE_TOO_LARGE` when `stats.size + change.size > limits.maxStoreSize`.
 * @example checkKvLimits({ entries: 9, size: 100 }, { entries: 1, size: 20 }, { maxEntries: 10, maxStoreSize: 1000 }); // ok
 */
export function checkKvLimits(stats: KvStoreStats, change: KvStatsDelta, limits: KvLimits): void {
  if (change.entries > 0 && stats.entries + change.entries > limits.maxEntries) {
    throw kvError(
      'KV_TOO_MANY_ENTRIES',
      `the write would exceed maxEntries (${limits.maxEntries})`,
      {
        maxEntries: limits.maxEntries,
        entries: stats.entries,
        adding: change.entries,
      },
    );
  }
  if (change.size > 0 && stats.size + change.size > limits.maxStoreSize) {
    throw kvError(
      'KV_STORE_TOO_LARGE',
      `the write would exceed maxStoreSize (${limits.maxStoreSize} bytes)`,
      {
        maxStoreSize: limits.maxStoreSize,
        size: stats.size,
        adding: change.size,
      },
    );
  }
}
