import type { ExtensionResult } from '../host/host-function.js';
import type { AccessMode } from '../policy/modes.js';

/**
 * One stored kv entry as it crosses the backend boundary.
 *
 * Values travel as JSON text produced by core (`stringifyValue`, dict key order kept), so a
 * backend never interprets a value and every backend returns byte-identical data. A backend
 * stores `value` verbatim and hands it back verbatim; core parses it and reports text it
 * cannot parse as `KV_CORRUPT_STORE`.
 *
 * @example
 * const record: KvRecord = { value: '{"name":"Alice","visits":3}', expiresAt: undefined };
 */
export interface KvRecord {
  /** The value as compact JSON text (never JSON `null`). */
  readonly value: string;
  /**
   * When the entry stops existing, in milliseconds since the Unix epoch (fractions allowed),
   * measured with the extension's clock (`KvBackendContext.now`); `undefined` = never.
   * An entry whose `expiresAt <= now()` is absent for every operation.
   */
  readonly expiresAt: number | undefined;
}

/** The write policies a kv mount can ask for. */
export type KvWritePolicy = 'immediate' | 'dispose';

/**
 * Store-wide limits a backend enforces atomically with each write, through core's
 * `checkKvLimits`. Both count unexpired entries only.
 */
export interface KvLimits {
  /** Most entries the store may hold. */
  readonly maxEntries: number;
  /** Most bytes the store may hold: sum of UTF-8 bytes of every key plus its value JSON. */
  readonly maxStoreSize: number;
}

/** What a store holds right now (unexpired entries only), as `checkKvLimits` reads it. */
export interface KvStoreStats {
  /** Number of unexpired entries. */
  readonly entries: number;
  /** Sum over unexpired entries of UTF-8 bytes(key) + UTF-8 bytes(value JSON). */
  readonly size: number;
}

/**
 * How a write changes {@link KvStoreStats}; negative numbers shrink the store. Build it
 * with `kvRecordDelta` (one key) and `addKvDeltas` (several).
 */
export interface KvStatsDelta {
  /** Change in the number of unexpired entries (+1 for a new key, -1 for a removed one). */
  readonly entries: number;
  /** Change in bytes of keys plus value JSON. */
  readonly size: number;
}

/**
 * What the function given to {@link KvBackend.update} decides, from the current record:
 * - `{ result }` — write nothing;
 * - `{ result, write }` — store `write` under the key (replacing any current record);
 * - `{ result, delete: true }` — remove the key.
 * `result` is what `update` resolves with once the decision is durable.
 */
export type KvUpdate<T> =
  | { readonly result: T; readonly write?: undefined; readonly delete?: undefined }
  | { readonly result: T; readonly write: KvRecord; readonly delete?: undefined }
  | { readonly result: T; readonly delete: true; readonly write?: undefined };

/** What a backend can do; core checks mount options against it. */
export interface KvBackendCapabilities {
  /**
   * Write policies the backend honours. A mount asking for another one is rejected with
   * `KV_INVALID_CONFIG` naming `writePolicy`.
   */
  readonly writePolicies: readonly KvWritePolicy[];
  /** True when atomic operations stay atomic against other processes using the same store. */
  readonly crossProcess: boolean;
  /** True when data outlives the process (false for the in-memory backend). */
  readonly persistent: boolean;
}

/**
 * What core hands a backend factory for one mount, besides the mount's own options.
 */
export interface KvBackendContext {
  /** The mount name (for error details and per-mount prefixes). */
  readonly mount: string;
  /** The validated write policy of the mount. */
  readonly writePolicy: KvWritePolicy;
  /**
   * The extension's clock in milliseconds since the Unix epoch. Backends compare
   * `expiresAt` against it and never against `Date.now()` directly, so tests can move time.
   */
  now(): number;
}

/**
 * The storage primitives one kv mount needs. Policy — modes, key rules, schema, value size,
 * TTL arithmetic, type checks, error mapping — lives in core (`defineKvExtension`); a backend
 * only stores records.
 *
 * Rules every backend follows:
 * - Keys arrive already validated (non-empty, at most 1,024 UTF-8 bytes, well-formed
 *   Unicode: never a lone surrogate, so every key has an exact UTF-8 form). Prefixes are
 *   well-formed too, and literal: no character (`_ % * ? [ ] : \`, Unicode) has a special
 *   meaning.
 * - An expired record (`expiresAt <= context.now()`) is absent for every method, and does
 *   not count toward {@link KvLimits}.
 * - Writes check limits with core's `checkKvLimits` inside the same lock, transaction or
 *   server-side script as the write, and write nothing when it throws.
 * - Throw core's coded errors (`KV_CORRUPT_STORE`, `KV_TOO_MANY_ENTRIES`, ...) where one
 *   applies; any other thrown error is reported to scripts as `KV_BACKEND_FAILURE` (or
 *   throw `KV_BACKEND_UNAVAILABLE` yourself when the server cannot be reached). Core adds
 *   the mount and key to every error.
 *
 * @example
 * // A backend is handed to core through a factory; core wraps it in the whole policy.
 * // (MemoryKvBackend in @rillkit/rill/ext/kv is a complete ~60-line implementation.)
 * const kv = defineKvExtension({
 *   mounts: { cache: { ttl: 60 } },
 *   createBackend: (mount, options, context) => new MemoryKvBackend(context.now),
 * });
 */
export interface KvBackend {
  /** Short backend name shown by `kv::mounts()` (`'json'`, `'memory'`, `'sqlite'`, ...). */
  readonly name: string;
  /** What this backend can do. */
  readonly capabilities: KvBackendCapabilities;

  /**
   * The unexpired record stored under `key`, or `undefined`. May answer synchronously
   * when the record is at hand without waiting (an embedded database does): core then
   * answers `kv::get` without a promise hop. A synchronous `throw` is treated like a
   * rejection.
   */
  get(key: string): KvRecord | undefined | Promise<KvRecord | undefined>;

  /**
   * The unexpired records of those `keys` that exist, read as one consistent snapshot
   * where the backend can. Missing keys are simply not in the map; duplicates are harmless.
   */
  getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KvRecord>>;

  /**
   * Every unexpired entry whose key starts with `prefix` (literally; `''` = all), in any
   * order — core sorts by UTF-16 code unit.
   */
  list(prefix: string): Promise<readonly (readonly [string, KvRecord])[]>;

  /**
   * Store `record` under `key`, replacing any current record.
   * @throws `KV_TOO_MANY_ENTRIES` / `KV_STORE_TOO_LARGE` (from `checkKvLimits`) — nothing written.
   */
  set(key: string, record: KvRecord, limits: KvLimits): Promise<void>;

  /**
   * Store every entry, all or nothing: either every record is stored or none is. Limits
   * are checked once for the combined change. Later duplicates of a key win.
   */
  setMany(entries: readonly (readonly [string, KvRecord])[], limits: KvLimits): Promise<void>;

  /** Remove `key`; resolves true when an unexpired record was removed. */
  delete(key: string): Promise<boolean>;

  /**
   * Remove each of `keys` that has a record, all or nothing, in one lock, transaction or
   * server-side script; keys without a record are skipped and duplicates are harmless.
   * Resolves with how many unexpired records were removed. (Declared mode's `clear` resets
   * exactly the declared keys with it, leaving any other stored key alone.)
   */
  deleteMany(keys: readonly string[]): Promise<number>;

  /**
   * Remove every unexpired entry whose key starts with `prefix` — exactly what
   * `list(prefix)` would show at that moment — atomically; resolves with how many.
   */
  clear(prefix: string): Promise<number>;

  /**
   * Atomic read-modify-write of one key: call `fn` with the current unexpired record (or
   * `undefined`) and apply its decision (see {@link KvUpdate}) with no other write to the
   * key in between. `fn` is pure and synchronous and MAY be called more than once
   * (optimistic backends retry on conflict); if it throws, nothing is written and `update`
   * rejects with that error. Limits are checked for the decided write.
   */
  update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T>;

  /**
   * Make every write accepted so far durable. With the `'dispose'` write policy this is
   * where buffered writes reach storage; with `'immediate'` it waits for writes in flight.
   * Rejects when something could not be persisted (the buffered writes stay buffered).
   */
  flush(): Promise<void>;

  /** Release resources. Called once, after `flush()`; the backend is not used afterwards. */
  close(): Promise<void>;
}

/**
 * One declared key of a mount schema (declared mode).
 *
 * @example
 * const visits: KvSchemaField = { type: 'number', default: 0, description: 'page visits' };
 */
export interface KvSchemaField {
  /** The only type the key accepts. */
  readonly type: KvSchemaType;
  /**
   * The value the key has while nothing is stored (plain JS or a rill value of `type`).
   * Omitted: `""`, `0`, `false`, `[]` or `[:]` by type.
   */
  readonly default?: unknown;
  /** One line for `kv::schema()`. */
  readonly description?: string;
}

/** Types a declared key can have. */
export type KvSchemaType = 'string' | 'number' | 'bool' | 'list' | 'dict';

/**
 * Mount options every kv backend accepts (docs/ref-storage.md). Backend-specific options (JSON
 * `store`, SQLite `database`, Redis `prefix`, ...) are added by each extension factory.
 */
export interface KvMountOptions {
  /** `'read'` blocks writes, `'write'` blocks reads. Default `'read-write'`. */
  readonly mode?: AccessMode;
  /** Declared mode: only these keys are accepted, each always has a value. */
  readonly schema?: Readonly<Record<string, KvSchemaField>>;
  /** Most unexpired entries; default 10,000. */
  readonly maxEntries?: number;
  /** Most bytes of one value's JSON; default 102,400. */
  readonly maxValueSize?: number;
  /** Most bytes of all keys plus value JSON; default 10 MiB. */
  readonly maxStoreSize?: number;
  /** Default seconds-to-live of writes (positive, fractions allowed); none by default. */
  readonly ttl?: number;
  /** `'immediate'` (default): durable before the call returns; `'dispose'`: buffered. */
  readonly writePolicy?: KvWritePolicy;
}

/**
 * Options every kv extension factory accepts; factories add their own top-level fields
 * (a Redis `url`, ...) and extend {@link KvMountOptions} per mount.
 */
export interface KvExtensionOptions<M extends KvMountOptions = KvMountOptions> {
  /** Named stores; a script names one as the first argument of every kv function. */
  readonly mounts: Readonly<Record<string, M>>;
  /** Function name prefix; default `'kv'` (`kv::get`). Use another to mount a second extension. */
  readonly namespace?: string;
  /** Clock in ms since the Unix epoch, for tests; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The shape of every kv extension factory (`createKvExtension`, `createSqliteKvExtension`,
 * ...): options in, `{ functions, dispose }` out, functions named `<namespace>::<name>`
 * for every name in {@link KV_FUNCTION_NAMES}.
 */
export type KvExtensionContract<O extends KvExtensionOptions = KvExtensionOptions> = (
  options: O,
) => ExtensionResult;

/** The functions every kv extension registers, without the namespace (docs/ref-storage.md). */
export const KV_FUNCTION_NAMES = Object.freeze([
  'get',
  'get_or',
  'set',
  'merge',
  'delete',
  'has',
  'keys',
  'getAll',
  'clear',
  'getMany',
  'setMany',
  'add',
  'cas',
  'incr',
  'schema',
  'mounts',
] as const);

/** One kv function name, without the namespace. */
export type KvFunctionName = (typeof KV_FUNCTION_NAMES)[number];
