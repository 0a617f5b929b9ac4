import type { FsBackend, FsMountConfig, FsMountOptions } from '../contracts/fs.js';
import { RillBackendError, RillError } from '../errors/rill-error.js';
import type {
  ExtensionResult,
  HostCallContext,
  HostFunction,
  HostFunctions,
  HostParam,
} from '../host/host-function.js';
import { fsError } from '../policy/fs-errors.js';
import {
  createFsMount,
  type FsListEntry,
  type FsMount,
  type FsStatResult,
} from '../policy/fs-mount.js';
import {
  validateFsMountConfig,
  validateFsMounts,
  validateFsNamespace,
} from '../policy/fs-mount-config.js';
import { sealedListOfDicts } from '../values/sealed.js';
import type { RillDict, RillList, RillValue } from '../values/types.js';

/**
 * What a backend package passes to {@link defineFsExtension}: its name, the host's mounts
 * and how to open one backend per mount. Core validates the common options and owns every
 * policy; the backend only validates its own options (in `createBackend`).
 */
export interface FsExtensionDefinition<TMount extends FsMountOptions = FsMountOptions> {
  /** Backend name shown by `mounts()` (e.g. `'local'`, `'s3'`). */
  readonly backend: string;
  /** Register functions as `<namespace>::read`, ...; default `'fs'`. */
  readonly namespace?: string | undefined;
  /** The host's mounts, by name, exactly as the host wrote them. */
  readonly mounts: Readonly<Record<string, TMount>>;
  /**
   * Mount option names the backend handles besides `mode`, `glob` and `maxFileSize`
   * (e.g. `['path']`). Any other option is rejected with `FS_INVALID_CONFIG`.
   */
  readonly backendMountOptions?: readonly string[] | undefined;
  /**
   * Open the backend for one mount. Called once per mount, synchronously, after the common
   * options were validated. Throw `fsConfigError('mounts.<name>.<field>', ...)` for a bad
   * backend option.
   */
  createBackend(name: string, options: TMount, config: FsMountConfig): FsBackend;
  /** Release resources shared by all mounts (e.g. a client); runs after every backend closed. */
  dispose?(): Promise<void>;
}

const MOUNT: HostParam = { name: 'mount', type: 'string', description: 'The mount name.' };
const PATH: HostParam = {
  name: 'path',
  type: 'string',
  description: 'A path relative to the mount root.',
};
const CONTENT: HostParam = { name: 'content', type: 'string', description: 'UTF-8 text.' };

function dict(entries: [string, RillValue][]): RillDict {
  return new Map(entries);
}

function entryValue(e: FsListEntry): RillDict {
  return dict([
    ['name', e.name],
    ['type', e.type],
    ['size', e.size],
  ]);
}

function statValue(s: FsStatResult): RillDict {
  return dict([
    ['name', s.name],
    ['type', s.type],
    ['size', s.size],
    ['modified', s.modified],
    ['created', s.created],
  ]);
}

function str(args: readonly RillValue[], i: number): string {
  return args[i] as string;
}

/**
 * Turn a backend plus core policy into an extension: `{ functions, dispose }` with the
 * functions of docs/ref-storage.md registered as `fs::read`, `fs::write`, `fs::append`, `fs::list`,
 * `fs::find`, `fs::exists`, `fs::remove`, `fs::stat`, `fs::mkdir`, `fs::copy`, `fs::move` and
 * `fs::mounts` (or under `namespace`). The mount is the first argument of every function but
 * `mounts`; defaults: `list(mount, path = "")`, `find(mount, pattern = "**\/*")`.
 *
 * The whole configuration is validated up front (`FS_INVALID_CONFIG` naming the field).
 * An unknown mount name in a call throws `FS_UNKNOWN_MOUNT`. `dispose()` waits for calls in
 * flight, closes every backend, is idempotent, and rejects with `FS_BACKEND_FAILURE` when a
 * backend could not close cleanly; calls after `dispose()` throw `FS_BACKEND_UNAVAILABLE`.
 *
 * @example
 * export function createMyFsExtension(options: MyOptions): ExtensionResult {
 *   return defineFsExtension({
 *     backend: 'my',
 *     namespace: options.namespace,
 *     mounts: options.mounts,
 *     backendMountOptions: ['bucket'],
 *     createBackend: (name, mount) => new MyBackend(mount.bucket),
 *   });
 * }
 */
export function defineFsExtension<TMount extends FsMountOptions>(
  definition: FsExtensionDefinition<TMount>,
): ExtensionResult {
  const namespace = validateFsNamespace(definition.namespace);
  const names = validateFsMounts(definition.mounts);
  const backendOptions = definition.backendMountOptions ?? [];
  // Validate every mount before opening any backend, so a bad config opens nothing.
  const configs = names.map((name) =>
    validateFsMountConfig(name, definition.mounts[name], backendOptions),
  );

  const mounts = new Map<string, FsMount>();
  const backends: FsBackend[] = [];
  try {
    for (const config of configs) {
      const backend = definition.createBackend(
        config.name,
        definition.mounts[config.name] as TMount,
        config,
      );
      backends.push(backend);
      mounts.set(config.name, createFsMount(config, backend, definition.backend));
    }
  } catch (error) {
    for (const backend of backends) void backend.close().catch(() => undefined);
    throw error;
  }

  const inFlight = new Set<Promise<unknown>>();
  let disposal: Promise<void> | undefined;

  function mountFor(name: string): FsMount {
    if (disposal !== undefined) {
      throw new RillBackendError(
        'FS_BACKEND_UNAVAILABLE',
        `the ${namespace} extension was disposed`,
        {
          details: { mount: name },
        },
      );
    }
    const mount = mounts.get(name);
    if (mount === undefined) {
      throw new RillBackendError('FS_UNKNOWN_MOUNT', `no fs mount named ${JSON.stringify(name)}`, {
        details: { mount: name, mounts: [...mounts.keys()] },
      });
    }
    return mount;
  }

  function track<T>(run: () => Promise<T>): Promise<T> {
    const promise = run();
    inFlight.add(promise);
    const forget = (): void => {
      inFlight.delete(promise);
    };
    promise.then(forget, forget);
    return promise;
  }

  function onMount<T extends RillValue>(
    call: (
      mount: FsMount,
      args: readonly RillValue[],
      memoryLeft: number | undefined,
    ) => Promise<T>,
  ): HostFunction['fn'] {
    return (args, ctx) => {
      const mount = mountFor(str(args, 0));
      // Hosts calling `fn` directly may pass no context at all.
      const memoryLeft = (ctx as HostCallContext | undefined)?.memoryLeft;
      return track(() => call(mount, args, memoryLeft));
    };
  }

  const fns: Record<string, HostFunction> = {
    read: {
      params: [MOUNT, PATH],
      returns: 'string',
      description: 'Read a file as UTF-8 text.',
      fn: onMount((m, a, memoryLeft) => m.read(str(a, 1), memoryLeft)),
    },
    write: {
      params: [MOUNT, PATH, CONTENT],
      returns: 'number',
      description: 'Replace a file atomically, creating parent folders; returns the bytes written.',
      fn: onMount((m, a) => m.write(str(a, 1), str(a, 2))),
    },
    append: {
      params: [MOUNT, PATH, CONTENT],
      returns: 'number',
      description: 'Append to a file, creating it; returns the bytes appended.',
      fn: onMount((m, a) => m.append(str(a, 1), str(a, 2))),
    },
    list: {
      params: [MOUNT, { ...PATH, default: '' }],
      returns: 'list',
      description: 'The entries of a folder as [name, type, size] dicts, sorted by name.',
      fn: onMount(async (m, a) => sealedListOfDicts((await m.list(str(a, 1))).map(entryValue))),
    },
    find: {
      params: [
        MOUNT,
        {
          name: 'pattern',
          type: 'string',
          default: '**/*',
          description: 'A glob over relative file paths.',
        },
      ],
      returns: 'list',
      description: 'Relative paths of the files matching a glob, sorted.',
      fn: onMount(async (m, a) => Object.freeze([...(await m.find(str(a, 1)))]) as RillList),
    },
    exists: {
      params: [MOUNT, PATH],
      returns: 'bool',
      description: 'Whether a file or folder is there.',
      fn: onMount((m, a) => m.exists(str(a, 1))),
    },
    remove: {
      params: [MOUNT, PATH],
      returns: 'bool',
      description: 'Remove a file or an empty folder; false when absent.',
      fn: onMount((m, a) => m.remove(str(a, 1))),
    },
    stat: {
      params: [MOUNT, PATH],
      returns: 'dict',
      description: 'A [name, type, size, modified, created] dict; times are ISO-8601 or "".',
      fn: onMount(async (m, a) => statValue(await m.stat(str(a, 1)))),
    },
    mkdir: {
      params: [MOUNT, PATH],
      returns: 'bool',
      description: 'Create a folder and its parents; false when it already existed.',
      fn: onMount((m, a) => m.mkdir(str(a, 1))),
    },
    copy: {
      params: [MOUNT, { name: 'from', type: 'string' }, { name: 'to', type: 'string' }],
      returns: 'bool',
      description: 'Copy a file within the mount, replacing the target.',
      fn: onMount((m, a) => m.copy(str(a, 1), str(a, 2))),
    },
    move: {
      params: [MOUNT, { name: 'from', type: 'string' }, { name: 'to', type: 'string' }],
      returns: 'bool',
      description: 'Move a file within the mount, replacing the target.',
      fn: onMount((m, a) => m.move(str(a, 1), str(a, 2))),
    },
    mounts: {
      params: [],
      returns: 'list',
      description: 'The mounts as [name, mode, glob, maxFileSize, backend] dicts.',
      fn: () => {
        if (disposal !== undefined)
          throw fsError('FS_BACKEND_UNAVAILABLE', '', { reason: 'the extension was disposed' });
        return sealedListOfDicts(
          [...mounts.values()].map((m) =>
            dict([
              ['name', m.config.name],
              ['mode', m.config.mode],
              ['glob', m.config.glob ?? ''],
              ['maxFileSize', m.config.maxFileSize],
              ['backend', m.backendName],
            ]),
          ),
        );
      },
    },
  };

  const functions: HostFunctions = Object.freeze(
    Object.fromEntries(Object.entries(fns).map(([name, fn]) => [`${namespace}::${name}`, fn])),
  );

  async function disposeAll(): Promise<void> {
    // Let calls already running finish (their results reach the script), then close.
    await Promise.allSettled([...inFlight]);
    const results = await Promise.allSettled(backends.map((b) => b.close()));
    const failures: unknown[] = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    if (definition.dispose !== undefined) {
      try {
        await definition.dispose();
      } catch (error) {
        failures.push(error);
      }
    }
    const first = failures[0];
    if (first !== undefined) {
      if (failures.length === 1 && RillError.is(first)) throw first;
      throw new RillBackendError(
        'FS_BACKEND_FAILURE',
        `the ${namespace} extension could not be disposed cleanly`,
        {
          details: { failures: failures.length },
          cause: failures.length === 1 ? first : new AggregateError(failures),
        },
      );
    }
  }

  return {
    functions,
    dispose() {
      disposal ??= disposeAll();
      return disposal;
    },
  };
}
