import { type Stats, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type ExtensionResult,
  type KvExtensionOptions,
  type KvMountOptions,
  RillError,
  assertKnownKvOptions,
  defineKvExtension,
  isNonEmptyString,
  kvConfigError,
  optionOrDefault,
} from '@rillkit/core';
import { JsonKvBackend } from './json-kv.js';
import { MemoryKvBackend } from './memory-kv.js';

/** The `store` value that selects the in-memory backend. */
export const MEMORY_STORE = ':memory:';

/** Options of one mount of {@link createKvExtension}: the common kv options plus `store`. */
export interface JsonKvMountOptions extends KvMountOptions {
  /**
   * Where the mount keeps its data: a JSON file path (relative paths resolve against the
   * working directory at creation; the folder must exist unless the extension has
   * `createFolders: true`, the file is created on the first write) or `':memory:'` for a
   * per-mount in-memory store that lives as long as the extension. Two mounts of one
   * extension cannot share a file.
   */
  readonly store: string;
}

/** Options of {@link createKvExtension}. */
export interface CreateKvExtensionOptions extends KvExtensionOptions<JsonKvMountOptions> {
  /**
   * Accept JSON stores whose folder does not exist yet, and create the folder (with missing
   * parents) just before the mount's first write to disk. Until then nothing is created:
   * reads see an empty store, so a run that only reads leaves the disk untouched. The
   * folders are created where the store path names them; a symlink at the store file is
   * still followed, and its target's folder must exist. Default `false`: every store's
   * folder must exist when the extension is created.
   */
  readonly createFolders?: boolean;
}

/**
 * The built-in kv extension: every mount is backed by a JSON file or by memory, chosen by
 * its `store` option, and gets the full kv policy from core (docs/ref-storage.md).
 *
 * @throws `KV_INVALID_CONFIG` naming the field, before anything runs: an unknown option,
 *   a bad common option, `createFolders` not a boolean, a missing or empty `store`, a store
 *   whose folder does not exist (without `createFolders`), a store below something that is
 *   not a folder, a store that is a folder, two mounts on one file.
 * @example
 * const kv = createKvExtension({
 *   createFolders: true, // ./data is created on the first write
 *   mounts: { user: { store: './data/user.json' }, cache: { store: ':memory:', ttl: 60 } },
 * });
 * const ctx = createRuntimeContext({ functions: kv.functions });
 * await execute(parse('kv::set("user", "name", "Alice")'), ctx);
 * await kv.dispose();
 */
export function createKvExtension(options: CreateKvExtensionOptions): ExtensionResult {
  assertKnownKvOptions(options, ['mounts', 'namespace', 'now', 'createFolders'], '');
  // A null is a bad value like any other, not "left out" (docs/ref-storage.md).
  const createFolders = optionOrDefault(options.createFolders, false);
  if (typeof createFolders !== 'boolean')
    throw kvConfigError('createFolders', 'must be true or false');
  const files = new Map<string, string>();
  return defineKvExtension<JsonKvMountOptions>({
    mounts: options.mounts,
    namespace: options.namespace,
    now: options.now,
    backendOptions: ['store'],
    createBackend(mount, mountOptions, context) {
      const field = `mounts.${mount}.store`;
      const store: unknown = mountOptions.store;
      if (!isNonEmptyString(store)) {
        throw kvConfigError(field, `must be a JSON file path or '${MEMORY_STORE}'`);
      }
      if (store === MEMORY_STORE) return new MemoryKvBackend(context.now);
      const file = resolveStoreFile(store, field, createFolders);
      const other = files.get(file);
      if (other !== undefined)
        throw kvConfigError(field, `is the same file as the store of mount "${other}"`);
      files.set(file, mount);
      return new JsonKvBackend({
        file,
        writePolicy: context.writePolicy,
        now: context.now,
        createFolders,
      });
    },
  });
}

/**
 * The canonical path of a store file: symlinks at the file itself followed (even to a file
 * that does not exist yet), so the atomic rename replaces the real file rather than the
 * link; its folder resolved through symlinks, so two spellings of one file are recognised.
 * The folder must exist, except with `createFolders`: then the nearest existing ancestor
 * is resolved and the missing folders below it are appended (nothing missing can be a
 * symlink, so the result is still canonical once they are created).
 */
function resolveStoreFile(store: string, field: string, createFolders: boolean): string {
  try {
    if (createFolders) {
      const file = canonicalFileInMissingFolder(store, field);
      if (file !== undefined) return file;
    }
    return canonicalStoreFile(store, field, createFolders);
  } catch (error) {
    if (RillError.is(error)) throw error;
    throw kvConfigError(
      field,
      `${store} cannot be used as a store file: ${(error as Error).message}`,
      error,
    );
  }
}

function canonicalStoreFile(store: string, field: string, createFolders: boolean): string {
  let target = resolve(store);
  for (
    let hops = 0;
    lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink() === true;
    hops++
  ) {
    if (hops === 40) throw kvConfigError(field, `${store} is a symlink loop`);
    target = resolve(dirname(target), readlinkSync(target));
  }
  let folder: string;
  try {
    folder = realpathSync(dirname(target));
  } catch (cause) {
    // With createFolders, only a folder reached through a symlink gets here (a symlink at
    // the file, or a dangling one on the way): folders are never created behind a symlink.
    const reason = createFolders
      ? `the folder ${dirname(target)} does not exist and is reached through a symlink`
      : `the folder ${dirname(target)} does not exist (create it first)`;
    throw kvConfigError(field, reason, cause);
  }
  if (!statSync(folder).isDirectory())
    throw kvConfigError(field, `${dirname(target)} is not a folder`);
  const file = join(folder, basename(target));
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw kvConfigError(field, `${store} is a folder, not a file`);
  }
  return file;
}

/**
 * With `createFolders`: the canonical path of a store whose folder does not exist yet —
 * the nearest existing ancestor resolved through symlinks, then the missing folders and
 * the file name — or `undefined` when the folder exists (resolved as without the option).
 * @throws `KV_INVALID_CONFIG` when the nearest existing ancestor is not a folder.
 */
function canonicalFileInMissingFolder(store: string, field: string): string | undefined {
  const target = resolve(store);
  const missing: string[] = [];
  let ancestor = dirname(target);
  // lstat, not stat: a dangling symlink on the way counts as existing, so resolving it
  // fails below instead of a folder being created over it.
  while (lstatOrMissing(ancestor) === undefined) {
    missing.unshift(basename(ancestor));
    ancestor = dirname(ancestor);
  }
  if (missing.length === 0) return undefined;
  const real = realpathSync(ancestor);
  if (!statSync(real).isDirectory()) throw kvConfigError(field, `${ancestor} is not a folder`);
  return join(real, ...missing, basename(target));
}

/** `lstat`, or `undefined` when nothing is there (`ENOTDIR`: a file is on the way). */
function lstatOrMissing(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}
