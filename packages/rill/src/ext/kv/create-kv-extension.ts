import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type ExtensionResult,
  type KvExtensionOptions,
  type KvMountOptions,
  RillError,
  assertKnownKvOptions,
  defineKvExtension,
  kvConfigError,
} from '@rillkit/core';
import { JsonKvBackend } from './json-kv.js';
import { MemoryKvBackend } from './memory-kv.js';

/** The `store` value that selects the in-memory backend. */
export const MEMORY_STORE = ':memory:';

/** Options of one mount of {@link createKvExtension}: the common kv options plus `store`. */
export interface JsonKvMountOptions extends KvMountOptions {
  /**
   * Where the mount keeps its data: a JSON file path (relative paths resolve against the
   * working directory at creation; the folder must exist, the file is created on the first
   * write) or `':memory:'` for a per-mount in-memory store that lives as long as the
   * extension. Two mounts of one extension cannot share a file.
   */
  readonly store: string;
}

/** Options of {@link createKvExtension}. */
export type CreateKvExtensionOptions = KvExtensionOptions<JsonKvMountOptions>;

/**
 * The built-in kv extension: every mount is backed by a JSON file or by memory, chosen by
 * its `store` option, and gets the full kv policy from core (STORAGE.md §2–§3).
 *
 * @throws `KV_INVALID_CONFIG` naming the field, before anything runs: an unknown option,
 *   a bad common option, a missing or empty `store`, a store whose folder does not exist,
 *   a store that is a folder, two mounts on one file.
 * @example
 * const kv = createKvExtension({ mounts: { user: { store: './data/user.json' }, cache: { store: ':memory:', ttl: 60 } } });
 * const ctx = createRuntimeContext({ functions: kv.functions });
 * await execute(parse('kv::set("user", "name", "Alice")'), ctx);
 * await kv.dispose();
 */
export function createKvExtension(options: CreateKvExtensionOptions): ExtensionResult {
  assertKnownKvOptions(options, ['mounts', 'namespace', 'now'], '');
  const files = new Map<string, string>();
  return defineKvExtension<JsonKvMountOptions>({
    mounts: options.mounts,
    namespace: options.namespace,
    now: options.now,
    backendOptions: ['store'],
    createBackend(mount, mountOptions, context) {
      const field = `mounts.${mount}.store`;
      const store: unknown = mountOptions.store;
      if (typeof store !== 'string' || store === '') {
        throw kvConfigError(field, `must be a JSON file path or '${MEMORY_STORE}'`);
      }
      if (store === MEMORY_STORE) return new MemoryKvBackend(context.now);
      const file = resolveStoreFile(store, field);
      const other = files.get(file);
      if (other !== undefined)
        throw kvConfigError(field, `is the same file as the store of mount "${other}"`);
      files.set(file, mount);
      return new JsonKvBackend({ file, writePolicy: context.writePolicy, now: context.now });
    },
  });
}

/**
 * The canonical path of a store file: symlinks at the file itself followed (even to a file
 * that does not exist yet), so the atomic rename replaces the real file rather than the
 * link; its folder resolved through symlinks (it must exist), so two spellings of one file
 * are recognised.
 */
function resolveStoreFile(store: string, field: string): string {
  try {
    return canonicalStoreFile(store, field);
  } catch (error) {
    if (RillError.is(error)) throw error;
    throw kvConfigError(
      field,
      `${store} cannot be used as a store file: ${(error as Error).message}`,
      error,
    );
  }
}

function canonicalStoreFile(store: string, field: string): string {
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
    throw kvConfigError(
      field,
      `the folder ${dirname(target)} does not exist (create it first)`,
      cause,
    );
  }
  if (!statSync(folder).isDirectory())
    throw kvConfigError(field, `${dirname(target)} is not a folder`);
  const file = join(folder, basename(target));
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) {
    throw kvConfigError(field, `${store} is a folder, not a file`);
  }
  return file;
}
