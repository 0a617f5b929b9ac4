import { type ExtensionResult, RillError } from '@rillkit/core';
import {
  type CreateKvExtensionOptions,
  MEMORY_STORE,
  createKvExtension,
} from '@rillkit/rill/ext/kv';
import { createFsExtension } from '@rillkit/rill/ext/fs';
import { BACKENDS, type CliConfig, type MountConfig, type MountKind } from './config-schema.js';
import { ConfigError } from './config-error.js';
import { fieldPath } from './field-path.js';
import { type ModuleLoader, loadBackendFactory } from './module-loader.js';

/** One extension instance of a run and the mounts it serves. */
export interface MountedExtension {
  readonly kind: MountKind;
  /** Its mount names, in config order. */
  readonly mounts: readonly string[];
  readonly extension: ExtensionResult;
}

/** Mounts that one extension instance serves: same backend, equal extension-level options. */
interface MountGroup {
  readonly kind: MountKind;
  /** The factory that serves them (`json` and `memory` mounts share the built-in one). */
  readonly factory: string;
  /** Extension-level options (`isShared` in the schema), equal for every mount of the group. */
  readonly shared: Readonly<Record<string, unknown>>;
  readonly mounts: MountConfig[];
}

type Factory = (
  group: MountGroup,
  loader: ModuleLoader,
  source: string,
) => Promise<ExtensionResult> | ExtensionResult;

/** Per-mount options of a group: everything but the extension-level options. */
function mountOptions(group: MountGroup): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    group.mounts.map((m) => [
      m.name,
      Object.fromEntries(
        Object.entries(m.options).filter(([k]) => !Object.hasOwn(group.shared, k)),
      ),
    ]),
  );
}

/** A factory from a backend package, loaded on first use. */
function packaged(kind: MountKind, backend: string, exportName: string): Factory {
  return async (group, loader, source) => {
    const packageName = BACKENDS[kind][backend]?.packageName ?? '';
    const first = group.mounts[0] as MountConfig;
    const create = await loadBackendFactory(packageName, exportName, loader, {
      source,
      field: fieldPath(fieldPath(kind, first.name), 'backend'),
    });
    return create({ ...group.shared, mounts: mountOptions(group) } as never) as ExtensionResult;
  };
}

const FACTORIES: Readonly<Record<string, Factory>> = {
  'kv:json': (group) => {
    const mounts = mountOptions(group);
    for (const m of group.mounts) {
      const options = mounts[m.name] as Record<string, unknown>;
      if (m.backend === 'memory') options['store'] = MEMORY_STORE;
    }
    // A json store's folder is created on its first write, so the default
    // ./.rill/state.json appears only once a script stores something.
    return createKvExtension({
      createFolders: true,
      mounts: mounts as unknown as CreateKvExtensionOptions['mounts'],
    });
  },
  'kv:sqlite': packaged('kv', 'sqlite', 'createSqliteKvExtension'),
  'kv:redis': packaged('kv', 'redis', 'createRedisKvExtension'),
  'fs:local': (group) =>
    createFsExtension({
      mounts: mountOptions(group) as unknown as Parameters<typeof createFsExtension>[0]['mounts'],
    }),
  'fs:s3': packaged('fs', 's3', 'createS3FsExtension'),
};

/** Which factory serves a backend: the built-in kv extension serves `json` and `memory`. */
function factoryOf(kind: MountKind, backend: string): string {
  return kind === 'kv' && backend === 'memory' ? 'kv:json' : `${kind}:${backend}`;
}

/**
 * Group the mounts of a config into extension instances, in config order: mounts of one
 * backend whose extension-level options (a Redis `url` and timeouts, SQLite `busyTimeout`
 * and `synchronous`, S3 connection options) are equal share one instance, so e.g. all Redis
 * mounts on one server share one connection.
 */
export function groupMounts(config: CliConfig): MountGroup[] {
  const groups = new Map<string, MountGroup>();
  for (const mount of [...config.kv, ...config.fs]) {
    const spec = BACKENDS[mount.kind][mount.backend];
    const shared = Object.fromEntries(
      Object.entries(mount.options).filter(([k]) => spec?.fields[k]?.isShared === true),
    );
    const factory = factoryOf(mount.kind, mount.backend);
    const key = `${factory}\u0000${canonicalJson(shared)}`;
    const group = groups.get(key);
    if (group === undefined)
      groups.set(key, { kind: mount.kind, factory, shared, mounts: [mount] });
    else group.mounts.push(mount);
  }
  return [...groups.values()];
}

/**
 * Create every extension a config needs, loading backend packages only for backends that
 * some mount uses. When one cannot be created, the ones already created are disposed.
 *
 * @throws {@link ConfigError} for an option a backend factory rejects (its
 *   `KV_INVALID_CONFIG` / `FS_INVALID_CONFIG`, with the field mapped back to the config,
 *   e.g. `mounts.user.table` -> `kv.user.table`) or a backend package that is not installed.
 */
export async function buildExtensions(
  config: CliConfig,
  loader: ModuleLoader,
): Promise<MountedExtension[]> {
  const built: MountedExtension[] = [];
  try {
    for (const group of groupMounts(config)) {
      const factory = FACTORIES[group.factory];
      if (factory === undefined) throw new Error(`no factory for ${group.factory}`);
      let extension: ExtensionResult;
      try {
        extension = await factory(group, loader, config.source);
      } catch (error) {
        throw toConfigError(error, group, config.source);
      }
      built.push({ kind: group.kind, mounts: group.mounts.map((m) => m.name), extension });
    }
  } catch (error) {
    await Promise.allSettled(built.map((b) => b.extension.dispose()));
    throw error;
  }
  return built;
}

/** A factory's config error as a {@link ConfigError} on the config field it is about. */
function toConfigError(error: unknown, group: MountGroup, source: string): unknown {
  if (
    !RillError.is(error) ||
    (error.code !== 'KV_INVALID_CONFIG' && error.code !== 'FS_INVALID_CONFIG')
  )
    return error;
  const raw = error.details['field'];
  const factoryField = typeof raw === 'string' ? raw : undefined;
  const field = configField(group, factoryField);
  // The factories put their own field name in front of the reason: keep only the reason.
  let reason = error.message;
  if (factoryField !== undefined && reason.startsWith(factoryField))
    reason = reason.slice(factoryField.length).replace(/^:?\s*/, '');
  return new ConfigError({ source, field }, `${reason} (${error.code})`, { cause: error });
}

/**
 * Map a factory's field (`mounts.user.table`, or an extension-level `url`) to where the
 * config file has it (`kv.user.table`, `kv.<first mount of the group>.url`).
 */
function configField(group: MountGroup, factoryField: string | undefined): string {
  const first = group.mounts[0] as MountConfig;
  if (factoryField === undefined) return fieldPath(group.kind, first.name);
  if (factoryField === 'mounts') return group.kind;
  // Longest name first: a mount "a" must not claim the fields of a mount "a.b".
  const byLength = [...group.mounts].sort((a, b) => b.name.length - a.name.length);
  for (const m of byLength) {
    const prefix = `mounts.${m.name}`;
    if (factoryField === prefix) return fieldPath(group.kind, m.name);
    if (factoryField.startsWith(`${prefix}.`))
      return `${fieldPath(group.kind, m.name)}.${factoryField.slice(prefix.length + 1)}`;
  }
  return `${fieldPath(group.kind, first.name)}.${factoryField}`;
}

/** JSON with object keys sorted, so equal option sets give equal group keys. */
function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
