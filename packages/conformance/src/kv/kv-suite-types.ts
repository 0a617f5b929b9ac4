import type { SkipList } from '../harness/case-registrar.js';
import type { SuiteInstance } from '../harness/suite-scope.js';

/** Access mode of a mount: `read` blocks writes, `write` blocks reads. */
export type KvSuiteMode = 'read' | 'write' | 'read-write';

/** A declared key of a mount schema (docs/ref-storage.md, declared mode). */
export interface KvSuiteSchemaEntry {
  readonly type: 'string' | 'number' | 'bool' | 'list' | 'dict';
  /**
   * The value while nothing is stored: a rill value (the suite passes dicts as `Map`, lists
   * as arrays). Omitted: `""`, `0`, `false`, `[]` or `[:]` by type.
   */
  readonly default?: unknown;
  readonly description?: string;
}

/**
 * The backend-independent mount options of docs/ref-storage.md. The suite passes these; the
 * factory adds its backend fields (store path, database, prefix, ...) and passes every other
 * field through unchanged — including fields the suite invents to check that unknown options
 * are rejected.
 */
export interface CommonKvMountOptions {
  readonly mode?: KvSuiteMode;
  readonly schema?: Readonly<Record<string, KvSuiteSchemaEntry>>;
  readonly maxEntries?: number;
  readonly maxValueSize?: number;
  readonly maxStoreSize?: number;
  /** Default seconds-to-live of writes. */
  readonly ttl?: number;
  readonly writePolicy?: 'immediate' | 'dispose';
}

/** What the suite hands the factory for each extension instance it needs. */
export interface KvSuiteFactoryInput {
  /**
   * Random per test (letters and digits). Every mount's storage must be derived from it and
   * the mount name (a folder, a table, a key prefix `${namespace}:${mount}:`), so that two
   * calls with the same namespace and mount name reach the same stored data and different
   * namespaces never see each other's.
   */
  readonly namespace: string;
  /** Mount name -> common options; add backend fields per mount. */
  readonly mounts: Readonly<Record<string, CommonKvMountOptions>>;
}

/**
 * What the factory returns: the extension (`{ functions, dispose }` with `kv::…` functions),
 * plus an optional `cleanup()` and `secrets` (see {@link SuiteInstance}).
 */
export type KvSuiteInstance = SuiteInstance;

/**
 * Creates a kv extension for the suite. May throw (or reject) a coded `KV_INVALID_CONFIG`
 * when the mount options are invalid — the suite checks that it does.
 *
 * @example
 * describeKvBackend('memory', ({ mounts }) =>
 *   createKvExtension({ mounts: mapMounts(mounts, () => ({ store: ':memory:' })) }));
 */
export type KvSuiteFactory = (
  input: KvSuiteFactoryInput,
) => KvSuiteInstance | Promise<KvSuiteInstance>;

/** What a backend declares about itself, so the suite checks the matching behaviour. */
export interface KvSuiteSupports {
  /**
   * `writePolicy: 'dispose'` is supported. `true`: the suite checks it works; `false`: the
   * suite checks that asking for it fails with `KV_INVALID_CONFIG`; omitted: neither is
   * checked (the tests are reported as skipped).
   */
  readonly writePolicyDispose?: boolean;
  /**
   * Data survives `dispose()`: a new instance with the same namespace sees it (default
   * `false`; true for file, SQLite and Redis backends).
   */
  readonly persistent?: boolean;
  /**
   * Two live instances with the same namespace share one store, atomically (cross-process
   * backends; default `false`).
   */
  readonly sharedInstances?: boolean;
}

/** Options of {@link KvSuiteFactory}'s suite run. */
export interface KvSuiteOptions {
  /**
   * Run tests one at a time. By default tests run concurrently (up to vitest's
   * `maxConcurrency`); each has its own namespace, so they never share data.
   */
  readonly sequential?: boolean;
  /** Tests or groups to skip (title, group title, or `group > test`) with the reason. */
  readonly skip?: SkipList;
  /** Multiplies every TTL and wait (default 1; base TTLs are a few tenths of a second). */
  readonly ttlScale?: number;
  /** Per-test time limit in ms (default 120,000). It only catches hangs. */
  readonly timeoutMs?: number;
  /** The `backend` name `kv::mounts()` must report (not checked when omitted). */
  readonly backendName?: string;
  readonly supports?: KvSuiteSupports;
}
