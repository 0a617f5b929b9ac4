import type { KvBackend, KvRecord } from '../contracts/kv.js';
import { depthOf, noteDepth } from '../values/depth.js';
import { valuesEqual } from '../values/equality.js';
import { sealValue } from '../values/sealed.js';
import { isDict, isList } from '../values/type-of.js';
import type { RillDict, RillList, RillValue } from '../values/types.js';
import type { ResolvedKvMount } from './kv-config.js';
import { kvError, withKvContext } from './kv-errors.js';
import { assertKvKey, assertKvPrefix } from './kv-keys.js';
import { type ResolvedKvField, assertKvType, declaredKvField } from './kv-schema.js';
import { kvExpiresAt, readKvWriteOptions } from './kv-ttl.js';
import { decodeKvValue, encodeKvValue } from './kv-values.js';

/** One mount as the kv operations see it: validated options, its backend and the clock. */
export interface KvMountRuntime {
  readonly config: ResolvedKvMount;
  readonly backend: KvBackend;
  now(): number;
}

/**
 * The semantics of every kv function (docs/ref-storage.md), once, for every backend. Each
 * takes the mount and the script's arguments after the mount; mode checks and error
 * context are added by `defineKvExtension`.
 *
 * Declared mode (the mount has a `schema`): only declared keys are accepted
 * (`KV_UNDECLARED_KEY`), writes are type-checked (`KV_TYPE_MISMATCH`), and every declared
 * key has a value — the stored one or its default. A stored value whose type no longer
 * matches its declaration reads as `KV_TYPE_MISMATCH`.
 * Open mode: any valid key; a missing key reads as `""`.
 */
export const kvOperations = {
  /**
   * `get(mount, key)`: the value; missing -> `""` (open) or the default (declared).
   * `memoryLeft` (the run's budget, when known): a stored text longer than it is refused
   * with `LIMIT_MEMORY` before it is parsed; the same holds for `getOr`, `getAll`, `getMany`.
   */
  get(m: KvMountRuntime, key: RillValue, memoryLeft?: number): RillValue | Promise<RillValue> {
    const k = assertKvKey(key, m.config.name);
    const spec = declaration(m, k);
    // A backend that answers synchronously gets a synchronous answer: no promise per read.
    const answer = (record: KvRecord | undefined): RillValue =>
      record === undefined ? missingValue(spec) : readStored(m, k, record, spec, memoryLeft);
    const record = m.backend.get(k);
    return record instanceof Promise ? record.then(answer) : answer(record);
  },

  /** `get_or(mount, key, fallback)`: like get, but a missing key gives `fallback` (declared keys are never missing). */
  async getOr(
    m: KvMountRuntime,
    key: RillValue,
    fallback: RillValue,
    memoryLeft?: number,
  ): Promise<RillValue> {
    const k = assertKvKey(key, m.config.name);
    const spec = declaration(m, k);
    const record = await m.backend.get(k);
    if (record !== undefined) return readStored(m, k, record, spec, memoryLeft);
    return spec === undefined ? fallback : spec.default;
  },

  /** `set(mount, key, value, opts)`: store; `opts.ttl` overrides the mount ttl. */
  async set(m: KvMountRuntime, key: RillValue, value: RillValue, opts: RillValue): Promise<true> {
    const { k, record } = prepareWrite(m, key, value, opts);
    await m.backend.set(k, record, m.config.limits);
    return true;
  },

  /**
   * `merge(mount, key, partial)`: atomic shallow merge of a dict into the stored dict
   * (absent = `[:]`, or the declared default). Existing fields keep their position, new
   * ones are appended. An existing entry keeps its expiry; a new one gets the mount ttl.
   */
  async merge(m: KvMountRuntime, key: RillValue, partial: RillValue): Promise<true> {
    const k = assertKvKey(key, m.config.name);
    const spec = declaration(m, k);
    if (!isDict(partial)) throw notADict(m, k, 'the partial value to merge must be a dict');
    const now = m.now();
    return m.backend.update(
      k,
      (current) => {
        const base =
          current === undefined
            ? (spec?.default ?? new Map<string, RillValue>())
            : readStored(m, k, current, spec);
        if (!isDict(base)) throw notADict(m, k, `the stored value of "${k}" is not a dict`);
        const merged = new Map(base);
        for (const [field, v] of partial) merged.set(field, v);
        const value = encodeKvValue(merged, m.config.maxValueSize);
        const expiresAt =
          current === undefined ? kvExpiresAt(now, m.config.ttl) : current.expiresAt;
        return { result: true as const, write: { value, expiresAt } };
      },
      m.config.limits,
    );
  },

  /** `delete(mount, key)`: whether a stored value was removed (declared keys fall back to their default). */
  async delete(m: KvMountRuntime, key: RillValue): Promise<boolean> {
    const k = assertKvKey(key, m.config.name);
    declaration(m, k);
    return m.backend.delete(k);
  },

  /** `has(mount, key)`: true when the key has a value (always, for a declared key). */
  async has(m: KvMountRuntime, key: RillValue): Promise<boolean> {
    const k = assertKvKey(key, m.config.name);
    if (declaration(m, k) !== undefined) return true;
    return (await m.backend.get(k)) !== undefined;
  },

  /** `keys(mount, prefix)`: keys starting with `prefix`, sorted by UTF-16 code unit. */
  async keys(m: KvMountRuntime, prefix: string): Promise<RillList> {
    const p = assertKvPrefix(prefix, m.config.name);
    if (m.config.schema !== undefined) return Object.freeze(declaredKeys(m, p));
    const entries = await m.backend.list(p);
    return Object.freeze(
      entries
        .map(([k]) => k)
        .filter((k) => k.startsWith(p))
        .sort(byCodeUnit),
    );
  },

  /** `getAll(mount, prefix)`: the same selection as `keys`, as a dict in key order. */
  async getAll(m: KvMountRuntime, prefix: string, memoryLeft?: number): Promise<RillDict> {
    const p = assertKvPrefix(prefix, m.config.name);
    const out = new Map<string, RillValue>();
    const budget = { left: memoryLeft };
    if (m.config.schema !== undefined) {
      const keys = declaredKeys(m, p);
      const records =
        keys.length === 0 ? new Map<string, KvRecord>() : await m.backend.getMany(keys);
      for (const k of keys) {
        const spec = declaration(m, k);
        const record = records.get(k);
        out.set(
          k,
          record === undefined ? missingValue(spec) : readStoredWithin(m, k, record, spec, budget),
        );
      }
      return resultDict(out);
    }
    const entries = [...(await m.backend.list(p))].filter(([k]) => k.startsWith(p));
    entries.sort(([a], [b]) => byCodeUnit(a, b));
    for (const [k, record] of entries)
      out.set(k, readStoredWithin(m, k, record, undefined, budget));
    return resultDict(out);
  },

  /**
   * `clear(mount, prefix)`: delete exactly what `keys(mount, prefix)` lists; returns that
   * count. Declared mode lists the declared keys, so it removes their stored values in one
   * atomic `deleteMany` (they read as their defaults again) and returns how many keys it
   * listed, stored or not. Stored keys the schema does not declare are not listed, so they
   * are left alone: the data is still there for an open-mode mount of the same store.
   */
  async clear(m: KvMountRuntime, prefix: string): Promise<number> {
    const p = assertKvPrefix(prefix, m.config.name);
    if (m.config.schema === undefined) return m.backend.clear(p);
    const listed = declaredKeys(m, p);
    if (listed.length > 0) await m.backend.deleteMany(listed);
    return listed.length;
  },

  /**
   * `getMany(mount, keys)`: a dict of the requested keys that exist (open) or all of them
   * (declared), in request order, duplicates once.
   */
  async getMany(m: KvMountRuntime, keys: RillValue, memoryLeft?: number): Promise<RillDict> {
    if (!isList(keys))
      throw kvError('KV_INVALID_KEY', 'getMany takes a list of keys', { mount: m.config.name });
    const wanted: string[] = [];
    const seen = new Set<string>();
    for (const key of keys) {
      const k = assertKvKey(key, m.config.name);
      declaration(m, k);
      if (!seen.has(k)) {
        seen.add(k);
        wanted.push(k);
      }
    }
    const out = new Map<string, RillValue>();
    if (wanted.length === 0) return out;
    const records = await m.backend.getMany(wanted);
    const budget = { left: memoryLeft };
    for (const k of wanted) {
      const spec = declaration(m, k);
      const record = records.get(k);
      if (record !== undefined) out.set(k, readStoredWithin(m, k, record, spec, budget));
      else if (spec !== undefined) out.set(k, spec.default);
    }
    return resultDict(out);
  },

  /** `setMany(mount, entries)`: validate every entry, then one all-or-nothing write (mount ttl). */
  async setMany(m: KvMountRuntime, entries: RillValue): Promise<true> {
    if (!isDict(entries))
      throw kvError('KV_INVALID_KEY', 'setMany takes a dict of key: value entries', {
        mount: m.config.name,
      });
    const expiresAt = kvExpiresAt(m.now(), m.config.ttl);
    const batch: (readonly [string, KvRecord])[] = [];
    for (const [key, value] of entries) {
      const k = assertKvKey(key, m.config.name);
      const spec = declaration(m, k);
      if (spec !== undefined) assertKvType(spec, value, m.config.name, k);
      batch.push([k, { value: encodeWithKey(m, k, value), expiresAt }]);
    }
    if (batch.length > 0) await m.backend.setMany(batch, m.config.limits);
    return true;
  },

  /**
   * `add(mount, key, value, opts)`: store only when nothing is stored (a declared key
   * showing its default counts as absent); returns whether it stored.
   */
  async add(
    m: KvMountRuntime,
    key: RillValue,
    value: RillValue,
    opts: RillValue,
  ): Promise<boolean> {
    const { k, record } = prepareWrite(m, key, value, opts);
    return m.backend.update(
      k,
      (current) => (current === undefined ? { result: true, write: record } : { result: false }),
      m.config.limits,
    );
  },

  /**
   * `cas(mount, key, expected, next)`: replace only when the current value — as `get`
   * would return it, so `""` or the default when absent — deep-equals `expected`.
   * The new value gets the mount ttl.
   */
  async cas(
    m: KvMountRuntime,
    key: RillValue,
    expected: RillValue,
    next: RillValue,
  ): Promise<boolean> {
    const k = assertKvKey(key, m.config.name);
    const spec = declaration(m, k);
    if (spec !== undefined) assertKvType(spec, next, m.config.name, k);
    const value = encodeWithKey(m, k, next);
    const expiresAt = kvExpiresAt(m.now(), m.config.ttl);
    return m.backend.update(
      k,
      (current) => {
        const actual = current === undefined ? missingValue(spec) : readStored(m, k, current, spec);
        return valuesEqual(actual, expected)
          ? { result: true, write: { value, expiresAt } }
          : { result: false };
      },
      m.config.limits,
    );
  },

  /**
   * `incr(mount, key, by)`: atomic add; missing counts as 0 (or the declared default).
   * An existing entry keeps its expiry; a new one gets the mount ttl.
   */
  async incr(m: KvMountRuntime, key: RillValue, by: RillValue): Promise<number> {
    const k = assertKvKey(key, m.config.name);
    const spec = declaration(m, k);
    if (typeof by !== 'number' || !Number.isFinite(by)) {
      throw kvError('KV_NOT_A_NUMBER', 'incr takes a finite number to add', {
        mount: m.config.name,
        key: k,
      });
    }
    const now = m.now();
    return m.backend.update(
      k,
      (current) => {
        const base = current === undefined ? (spec?.default ?? 0) : readStored(m, k, current, spec);
        if (typeof base !== 'number') {
          throw kvError('KV_NOT_A_NUMBER', `the value of "${k}" is not a number`, {
            mount: m.config.name,
            key: k,
          });
        }
        const result = base + by;
        if (!Number.isFinite(result)) {
          throw kvError('KV_NOT_A_NUMBER', `incrementing "${k}" overflows`, {
            mount: m.config.name,
            key: k,
          });
        }
        const expiresAt =
          current === undefined ? kvExpiresAt(now, m.config.ttl) : current.expiresAt;
        return { result, write: { value: encodeWithKey(m, k, result), expiresAt } };
      },
      m.config.limits,
    );
  },

  /** `schema(mount)`: `[key, type, default, description]` dicts in declaration order; `[]` in open mode. */
  schema(m: KvMountRuntime): RillList {
    const out: RillValue[] = [];
    let depth = 1;
    for (const [key, spec] of m.config.schema ?? []) {
      const row = resultDict(
        new Map<string, RillValue>([
          ['key', key],
          ['type', spec.type],
          ['default', spec.default],
          ['description', spec.description],
        ]),
      );
      depth = Math.max(depth, depthOf(row) + 1);
      out.push(row);
    }
    return sealValue(Object.freeze(noteDepth(out, depth, out.length)));
  },
};

/** Sort comparator: UTF-16 code unit order, the order `keys` promises. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function declaration(m: KvMountRuntime, key: string): ResolvedKvField | undefined {
  return m.config.schema === undefined
    ? undefined
    : declaredKvField(m.config.schema, key, m.config.name);
}

function declaredKeys(m: KvMountRuntime, prefix: string): string[] {
  return [...(m.config.schema?.keys() ?? [])].filter((k) => k.startsWith(prefix)).sort(byCodeUnit);
}

function missingValue(spec: ResolvedKvField | undefined): RillValue {
  return spec === undefined ? '' : spec.default;
}

/**
 * A dict core built for a script: its depth recorded (values read back carry theirs), and
 * sealed, so the runtime takes it over without copying.
 */
function resultDict(out: Map<string, RillValue>): RillDict {
  let depth = 0;
  for (const v of out.values()) depth = Math.max(depth, depthOf(v));
  return sealValue(noteDepth(out, depth + 1, out.size));
}

function readStored(
  m: KvMountRuntime,
  key: string,
  record: KvRecord,
  spec: ResolvedKvField | undefined,
  memoryLeft?: number,
): RillValue {
  let value: RillValue;
  try {
    value = decodeKvValue(record.value, memoryLeft);
  } catch (error) {
    throw withKvContext(error, m.config.name, key);
  }
  if (spec !== undefined) assertKvType(spec, value, m.config.name, key);
  return value;
}

// readStored for calls returning several values: they share one memory budget.
function readStoredWithin(
  m: KvMountRuntime,
  key: string,
  record: KvRecord,
  spec: ResolvedKvField | undefined,
  budget: { left: number | undefined },
): RillValue {
  const value = readStored(m, key, record, spec, budget.left);
  if (budget.left !== undefined) budget.left -= record.value.length;
  return value;
}

function encodeWithKey(m: KvMountRuntime, key: string, value: RillValue): string {
  try {
    return encodeKvValue(value, m.config.maxValueSize);
  } catch (error) {
    throw withKvContext(error, m.config.name, key);
  }
}

function prepareWrite(
  m: KvMountRuntime,
  key: RillValue,
  value: RillValue,
  opts: RillValue,
): { k: string; record: KvRecord } {
  const k = assertKvKey(key, m.config.name);
  const spec = declaration(m, k);
  if (spec !== undefined) assertKvType(spec, value, m.config.name, k);
  const options = readKvWriteOptions(opts, m.config.name);
  const encoded = encodeWithKey(m, k, value);
  return {
    k,
    record: { value: encoded, expiresAt: kvExpiresAt(m.now(), options.ttl ?? m.config.ttl) },
  };
}

function notADict(m: KvMountRuntime, key: string, message: string): Error {
  return kvError('KV_NOT_A_DICT', message, { mount: m.config.name, key });
}
