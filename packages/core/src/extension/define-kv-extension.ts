import type { KvBackend, KvBackendContext, KvMountOptions } from '../contracts/kv.js';
import type { ErrorCode } from '../errors/codes.js';
import { RillError } from '../errors/rill-error.js';
import type {
  ExtensionResult,
  HostCallContext,
  HostFunction,
  HostParam,
} from '../host/host-function.js';
import { sealedListOfDicts } from '../values/sealed.js';
import { hasType, typeOf } from '../values/type-of.js';
import type { RillDict, RillTypeName, RillValue } from '../values/types.js';
import { type KvAccess, assertKvAccess } from '../policy/kv-access.js';
import { resolveKvMountOptions, resolveKvNamespace } from '../policy/kv-config.js';
import { kvConfigError, kvError, withKvContext } from '../policy/kv-errors.js';
import { type KvMountRuntime, kvOperations } from '../policy/kv-operations.js';
import { optionOrDefault } from '../policy/option-values.js';
import { isPlainObject } from '../policy/plain-object.js';

/**
 * What a kv extension factory hands {@link defineKvExtension}: the host's options plus how
 * to build one backend per mount.
 *
 * @typeParam M the mount options this extension accepts (common options plus its own).
 */
export interface DefineKvExtensionConfig<M extends KvMountOptions = KvMountOptions> {
  /** The host's mounts, unvalidated: core validates the common options. */
  readonly mounts: Readonly<Record<string, M>>;
  /** Function name prefix; default `'kv'`. */
  readonly namespace?: string | undefined;
  /** Clock in ms since the Unix epoch; default `Date.now`. */
  readonly now?: (() => number) | undefined;
  /**
   * Names of the backend's own mount options (`['store']`, `['database', 'table']`).
   * Core lets them through to {@link createBackend}, which must validate them; every other
   * unknown option is rejected with `KV_INVALID_CONFIG`.
   */
  readonly backendOptions?: readonly string[];
  /**
   * Build the backend of one mount, synchronously and without I/O where possible (connect
   * lazily). Validate backend options here and throw `kvConfigError('mounts.<name>.<option>', ...)`.
   * Called after the common options passed validation, in mount order.
   */
  createBackend(mount: string, options: M, context: KvBackendContext): KvBackend;
  /**
   * Release what the backends share (a connection pool, a client), after every backend was
   * flushed and closed. A rejection makes `dispose()` reject.
   */
  dispose?(): Promise<void>;
}

interface KvFunctionSpec {
  readonly access: KvAccess | 'none';
  readonly params: readonly HostParam[];
  readonly returns: RillTypeName;
  readonly description: string;
  /** Whether the second argument is the one key the call is about (for error details). */
  readonly hasKey: boolean;
  /** `memoryLeft`: the calling run's memory budget, when known (`HostCallContext`). */
  run(
    m: KvMountRuntime,
    args: readonly RillValue[],
    memoryLeft: number | undefined,
  ): RillValue | Promise<RillValue>;
}

const MOUNT: HostParam = { name: 'mount', type: 'string', description: 'the mount name' };
const KEY: HostParam = {
  name: 'key',
  type: 'any',
  description: 'the key (a non-empty string of at most 1,024 bytes, valid Unicode)',
};
const PREFIX: HostParam = {
  name: 'prefix',
  type: 'string',
  default: '',
  description: 'literal key prefix; "" = all keys',
};
const OPTS: HostParam = {
  name: 'opts',
  type: 'dict',
  default: new Map(),
  description: 'options: [ttl: seconds]',
};

const SPECS: Readonly<Record<string, KvFunctionSpec>> = {
  get: {
    access: 'read',
    params: [MOUNT, KEY],
    returns: 'any',
    hasKey: true,
    description: 'The value of a key; "" when missing (the default in declared mode).',
    run: (m, [key], memoryLeft) => kvOperations.get(m, key as RillValue, memoryLeft),
  },
  get_or: {
    access: 'read',
    params: [
      MOUNT,
      KEY,
      { name: 'fallback', type: 'any', description: 'returned when the key is missing' },
    ],
    returns: 'any',
    hasKey: true,
    description: 'The value of a key, or fallback when it is missing.',
    run: (m, [key, fallback], memoryLeft) =>
      kvOperations.getOr(m, key as RillValue, fallback as RillValue, memoryLeft),
  },
  set: {
    access: 'write',
    params: [MOUNT, KEY, { name: 'value', type: 'any' }, OPTS],
    returns: 'bool',
    hasKey: true,
    description: 'Store a value; opts.ttl (seconds) overrides the mount ttl. Returns true.',
    run: (m, [key, value, opts]) =>
      kvOperations.set(m, key as RillValue, value as RillValue, opts as RillValue),
  },
  merge: {
    access: 'write',
    params: [MOUNT, KEY, { name: 'partial', type: 'any', description: 'a dict of fields to set' }],
    returns: 'bool',
    hasKey: true,
    description:
      'Shallow-merge a dict into the stored dict, atomically; creates the key. Returns true.',
    run: (m, [key, partial]) => kvOperations.merge(m, key as RillValue, partial as RillValue),
  },
  delete: {
    access: 'write',
    params: [MOUNT, KEY],
    returns: 'bool',
    hasKey: true,
    description:
      'Remove a key (declared keys fall back to their default); whether a stored value was removed.',
    run: (m, [key]) => kvOperations.delete(m, key as RillValue),
  },
  has: {
    access: 'read',
    params: [MOUNT, KEY],
    returns: 'bool',
    hasKey: true,
    description: 'Whether the key has a value (always true for a declared key).',
    run: (m, [key]) => kvOperations.has(m, key as RillValue),
  },
  keys: {
    access: 'read',
    params: [MOUNT, PREFIX],
    returns: 'list',
    hasKey: false,
    description: 'Keys starting with prefix, sorted by code unit.',
    run: (m, [prefix]) => kvOperations.keys(m, prefix as string),
  },
  getAll: {
    access: 'read',
    params: [MOUNT, PREFIX],
    returns: 'dict',
    hasKey: false,
    description: 'The keys starting with prefix and their values, sorted by key.',
    run: (m, [prefix], memoryLeft) => kvOperations.getAll(m, prefix as string, memoryLeft),
  },
  clear: {
    access: 'write',
    params: [MOUNT, PREFIX],
    returns: 'number',
    hasKey: false,
    description: 'Delete exactly what keys(mount, prefix) lists; returns the count.',
    run: (m, [prefix]) => kvOperations.clear(m, prefix as string),
  },
  getMany: {
    access: 'read',
    params: [MOUNT, { name: 'keys', type: 'list', description: 'the keys to read' }],
    returns: 'dict',
    hasKey: false,
    description: 'A dict of the requested keys that exist (all of them in declared mode).',
    run: (m, [keys], memoryLeft) => kvOperations.getMany(m, keys as RillValue, memoryLeft),
  },
  setMany: {
    access: 'write',
    params: [MOUNT, { name: 'entries', type: 'dict', description: 'key: value pairs to store' }],
    returns: 'bool',
    hasKey: false,
    description: 'Store every entry, all or nothing. Returns true.',
    run: (m, [entries]) => kvOperations.setMany(m, entries as RillValue),
  },
  add: {
    access: 'write',
    params: [MOUNT, KEY, { name: 'value', type: 'any' }, OPTS],
    returns: 'bool',
    hasKey: true,
    description: 'Store only if nothing is stored under the key, atomically; whether it stored.',
    run: (m, [key, value, opts]) =>
      kvOperations.add(m, key as RillValue, value as RillValue, opts as RillValue),
  },
  cas: {
    access: 'read-write',
    params: [MOUNT, KEY, { name: 'expected', type: 'any' }, { name: 'next', type: 'any' }],
    returns: 'bool',
    hasKey: true,
    description:
      'Replace the value only if it deep-equals expected, atomically; whether it replaced.',
    run: (m, [key, expected, next]) =>
      kvOperations.cas(m, key as RillValue, expected as RillValue, next as RillValue),
  },
  incr: {
    access: 'read-write',
    params: [MOUNT, KEY, { name: 'by', type: 'any', default: 1, description: 'the number to add' }],
    returns: 'number',
    hasKey: true,
    description:
      'Add a number atomically (missing counts as 0 or the default); returns the new value.',
    run: (m, [key, by]) => kvOperations.incr(m, key as RillValue, by as RillValue),
  },
  schema: {
    access: 'none',
    params: [MOUNT],
    returns: 'list',
    hasKey: false,
    description: 'The declared keys as [key, type, default, description] dicts; [] in open mode.',
    run: (m) => kvOperations.schema(m),
  },
};

/**
 * Turn a backend factory into a kv extension: validate the whole config up front, wrap
 * every mount's backend in the shared policy (modes, keys, schema, limits, TTL, error
 * mapping) and register every kv function as `<namespace>::<name>` (docs/ref-storage.md).
 *
 * - Config errors throw `KV_INVALID_CONFIG` naming the field (`mounts.user.ttl`); a mount
 *   whose `writePolicy` the backend does not support is rejected the same way.
 * - Every error a function raises is a `KV_*` error with `details.mount` (and
 *   `details.key`); anything else a backend throws becomes `KV_BACKEND_FAILURE` with the
 *   original as `cause`. `KV_UNKNOWN_MOUNT` for a mount name the extension does not have.
 * - Arguments are re-checked against the declared parameter types (`HOST_ARGUMENT_TYPE` /
 *   `HOST_ARGUMENT_COUNT`, as the runtime would), so direct `fn` calls get the same errors.
 * - `dispose()` flushes then closes every backend (all of them, even when one fails),
 *   then calls `config.dispose`; it is idempotent (later calls return the first call's
 *   promise) and rejects when anything could not be persisted — with that mount's error,
 *   or `KV_BACKEND_FAILURE` listing `details.mounts` when several failed. Calls after
 *   `dispose()` fail with `KV_BACKEND_UNAVAILABLE`.
 *
 * @example
 * export function createExampleKvExtension(options: ExampleKvOptions): ExtensionResult {
 *   return defineKvExtension({
 *     mounts: options.mounts,
 *     namespace: options.namespace,
 *     backendOptions: ['bucket'],
 *     createBackend: (mount, mountOptions, context) => new ExampleKv(mountOptions.bucket, context),
 *   });
 * }
 */
export function defineKvExtension<M extends KvMountOptions>(
  config: DefineKvExtensionConfig<M>,
): ExtensionResult {
  const namespace = resolveKvNamespace(config.namespace);
  const clock = optionOrDefault(config.now, Date.now);
  if (typeof clock !== 'function')
    throw kvConfigError('now', 'must be a function returning milliseconds since the epoch');
  const now = clock as () => number;
  const rawMounts: unknown = config.mounts;
  if (!isPlainObject(rawMounts))
    throw kvConfigError('mounts', 'must be an object of { name: options }');

  const mounts = new Map<string, KvMountRuntime>();
  try {
    for (const [name, raw] of Object.entries(rawMounts)) {
      const resolved = resolveKvMountOptions(name, raw, config.backendOptions ?? []);
      const context: KvBackendContext = {
        mount: name,
        writePolicy: resolved.writePolicy,
        now: () => now(),
      };
      let backend: KvBackend;
      try {
        backend = config.createBackend(name, raw as M, context);
      } catch (error) {
        if (RillError.is(error)) throw error;
        throw kvConfigError(
          `mounts.${name}`,
          `the backend could not be created: ${(error as Error).message}`,
          error,
        );
      }
      mounts.set(name, { config: resolved, backend, now: context.now });
      if (!backend.capabilities.writePolicies.includes(resolved.writePolicy)) {
        throw kvConfigError(
          `mounts.${name}.writePolicy`,
          `the ${backend.name} backend supports ${backend.capabilities.writePolicies.join(', ')}, not ${resolved.writePolicy}`,
        );
      }
    }
  } catch (error) {
    // Whatever was built before the bad mount is released; config errors win over close errors.
    for (const m of mounts.values()) m.backend.close().catch(() => undefined);
    throw error;
  }

  let disposed: Promise<void> | undefined;
  const functions: Record<string, HostFunction> = {};

  for (const [name, spec] of Object.entries(SPECS)) {
    const qualified = `${namespace}::${name}`;
    functions[qualified] = {
      params: spec.params,
      returns: spec.returns,
      description: spec.description,
      // Not async: a backend answering synchronously (SQLite reads) is answered without a
      // promise. Every failure still reaches the caller as a rejected promise.
      fn: (rawArgs, ctx) => {
        let mountName: string | undefined;
        let key: string | undefined;
        try {
          const args = checkArgs(qualified, spec.params, rawArgs);
          mountName = args[0] as string;
          const m = mounts.get(mountName);
          if (m === undefined) {
            return Promise.reject(
              kvError('KV_UNKNOWN_MOUNT', `no kv mount named "${mountName}"`, {
                mount: mountName,
                mounts: [...mounts.keys()],
              }),
            );
          }
          key = spec.hasKey && typeof args[1] === 'string' ? args[1] : undefined;
          if (disposed !== undefined) {
            throw kvError('KV_BACKEND_UNAVAILABLE', 'the kv extension has been disposed', {
              reason: 'disposed',
            });
          }
          if (spec.access !== 'none') assertKvAccess(m.config.mode, spec.access, mountName, name);
          // Hosts calling `fn` directly may pass no context at all.
          const memoryLeft = (ctx as HostCallContext | undefined)?.memoryLeft;
          const result = spec.run(m, args.slice(1), memoryLeft);
          if (!(result instanceof Promise)) return result;
          const where = mountName;
          const what = key;
          return result.catch((error: unknown) => {
            throw withKvContext(error, where, what);
          });
        } catch (error) {
          return Promise.reject(
            mountName === undefined ? error : withKvContext(error, mountName, key),
          );
        }
      },
    };
  }

  functions[`${namespace}::mounts`] = {
    params: [],
    returns: 'list',
    description:
      'The mounts as [name, mode, backend, writePolicy, ttl, maxEntries, maxValueSize, maxStoreSize, declared] dicts.',
    fn: () => sealedListOfDicts([...mounts.values()].map(describeMount)),
  };

  const dispose = (): Promise<void> => {
    disposed ??= disposeAll(mounts, config.dispose?.bind(config));
    return disposed;
  };

  return { functions: Object.freeze(functions), dispose };
}

/** What `mounts()` shows: configuration only, never paths, URLs or credentials. */
function describeMount(m: KvMountRuntime): RillDict {
  const c = m.config;
  return new Map<string, RillValue>([
    ['name', c.name],
    ['mode', c.mode],
    ['backend', m.backend.name],
    ['writePolicy', c.writePolicy],
    ['ttl', c.ttl ?? 0],
    ['maxEntries', c.maxEntries],
    ['maxValueSize', c.maxValueSize],
    ['maxStoreSize', c.maxStoreSize],
    ['declared', c.schema !== undefined],
  ]);
}

async function disposeAll(
  mounts: ReadonlyMap<string, KvMountRuntime>,
  shared: (() => Promise<void>) | undefined,
): Promise<void> {
  const failures: RillError[] = [];
  await Promise.all(
    [...mounts.values()].map(async (m) => {
      try {
        await m.backend.flush();
      } catch (error) {
        failures.push(withKvContext(error, m.config.name));
      }
      try {
        await m.backend.close();
      } catch (error) {
        failures.push(withKvContext(error, m.config.name));
      }
    }),
  );
  if (shared !== undefined) {
    try {
      await shared();
    } catch (error) {
      failures.push(
        RillError.is(error)
          ? error
          : kvError(
              'KV_BACKEND_FAILURE',
              `releasing the backend failed: ${(error as Error).message}`,
              {},
              error,
            ),
      );
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw kvError(
      'KV_BACKEND_FAILURE',
      `${failures.length} kv mounts could not be persisted or closed`,
      { mounts: failures.map((f) => f.details['mount']).filter((x) => x !== undefined) },
      new AggregateError(failures),
    );
  }
}

/**
 * The runtime checks arity and types before `fn` runs; hosts calling `fn` directly do not
 * get that, so the same checks (and default filling) happen here with the same codes.
 */
function checkArgs(
  name: string,
  params: readonly HostParam[],
  args: readonly (RillValue | undefined)[],
): RillValue[] {
  if (args.length > params.length) {
    throw argError(
      'HOST_ARGUMENT_COUNT',
      `${name} takes at most ${params.length} arguments, got ${args.length}`,
      name,
    );
  }
  const out: RillValue[] = [];
  for (const [i, param] of params.entries()) {
    const arg = args[i] ?? param.default;
    if (arg === undefined) {
      throw argError('HOST_ARGUMENT_COUNT', `${name} is missing its ${param.name} argument`, name, {
        param: param.name,
      });
    }
    if (!hasType(arg, param.type)) {
      throw argError(
        'HOST_ARGUMENT_TYPE',
        `${name}: ${param.name} must be a ${param.type}, not a ${typeOf(arg)}`,
        name,
        {
          param: param.name,
          expected: param.type,
          actual: typeOf(arg),
        },
      );
    }
    out.push(arg);
  }
  return out;
}

function argError(
  code: ErrorCode,
  message: string,
  name: string,
  details: Record<string, unknown> = {},
): RillError {
  return new RillError(code, message, { details: { name, ...details } });
}
