import { lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  type ExtensionResult,
  type KvMountOptions,
  RillError,
  defineKvExtension,
  kvConfigError,
} from '@rillkit/core';
import { JsonKvBackend, MEMORY_STORE, MemoryKvBackend } from '@rillkit/rill/ext/kv';
import { FolderCreatingKvBackend } from './folder-creating-kv-backend.js';

/** One mount of {@link createCliJsonKvExtension}: the common kv options plus `store`. */
export interface CliJsonKvMountOptions extends KvMountOptions {
  /** An absolute JSON file path, or `':memory:'` for an in-memory store of this run. */
  readonly store: string;
}

/**
 * The CLI's `json` and `memory` kv mounts: the same backends, options and policy as
 * `createKvExtension` from `@rillkit/rill/ext/kv`, except that a JSON store's folder need
 * not exist yet. It is created (with missing parents) on the mount's first write, so the
 * default `./.rill/state.json` appears only once a script stores something.
 *
 * @throws `KV_INVALID_CONFIG` naming `mounts.<name>.store`: a path below something that is
 *   not a folder, a store that is a folder or a dangling symlink, two mounts on one file;
 *   and every error `defineKvExtension` raises for the common options.
 */
export function createCliJsonKvExtension(
  mounts: Readonly<Record<string, CliJsonKvMountOptions>>,
): ExtensionResult {
  const files = new Map<string, string>();
  return defineKvExtension<CliJsonKvMountOptions>({
    mounts,
    backendOptions: ['store'],
    createBackend(mount, options, context) {
      if (options.store === MEMORY_STORE) return new MemoryKvBackend(context.now);
      const field = `mounts.${mount}.store`;
      const file = resolveStoreFile(options.store, field);
      const other = files.get(file);
      if (other !== undefined)
        throw kvConfigError(field, `is the same file as the store of mount "${other}"`);
      files.set(file, mount);
      const backend = new JsonKvBackend({
        file,
        writePolicy: context.writePolicy,
        now: context.now,
      });
      return new FolderCreatingKvBackend(dirname(file), backend);
    },
  });
}

/**
 * The canonical path of a store file, so two spellings of one file are recognised: the
 * nearest existing ancestor folder resolved through symlinks, the missing folders below it
 * appended, and a symlink at the file itself followed (the atomic rename must replace the
 * real file, not the link).
 */
function resolveStoreFile(store: string, field: string): string {
  try {
    const missing: string[] = [];
    let folder = dirname(store);
    while (statSync(folder, { throwIfNoEntry: false }) === undefined) {
      const parent = dirname(folder);
      if (parent === folder) break;
      missing.unshift(basename(folder));
      folder = parent;
    }
    const real = realpathSync(folder);
    if (!statSync(real).isDirectory()) throw kvConfigError(field, `${folder} is not a folder`);
    const file = join(real, ...missing, basename(store));
    if (missing.length > 0) return file;
    const link = lstatSync(file, { throwIfNoEntry: false });
    const target =
      link?.isSymbolicLink() === true ? statSync(file, { throwIfNoEntry: false }) : link;
    if (link !== undefined && target === undefined)
      throw kvConfigError(field, `${store} is a symlink to nothing`);
    if (target?.isDirectory() === true)
      throw kvConfigError(field, `${store} is a folder, not a file`);
    return link?.isSymbolicLink() === true ? realpathSync(file) : file;
  } catch (error) {
    if (RillError.is(error)) throw error;
    throw kvConfigError(
      field,
      `${store} cannot be used as a store file: ${(error as Error).message}`,
      error,
    );
  }
}
