import { realpathSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  assertFsOptionKeys,
  defineFsExtension,
  fsConfigError,
  isNonEmptyString,
  type ExtensionResult,
} from '@rillkit/core';
import { LocalFsBackend } from './local-fs.js';
import type { FsExtensionOptions } from './options.js';

function mountRoot(name: string, path: unknown): string {
  const field = `mounts.${name}.path`;
  if (!isNonEmptyString(path))
    throw fsConfigError(field, 'is required: the folder this mount serves');
  if (path.includes('\0')) throw fsConfigError(field, 'must not contain NUL characters');
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch (cause) {
    throw fsConfigError(
      field,
      `must be an existing folder (${JSON.stringify(path)} cannot be resolved)`,
      cause,
    );
  }
  let isFolder: boolean;
  try {
    isFolder = statSync(real).isDirectory();
  } catch (cause) {
    throw fsConfigError(
      field,
      `must be an existing folder (${JSON.stringify(path)} cannot be read)`,
      cause,
    );
  }
  if (!isFolder) throw fsConfigError(field, `must be a folder (${JSON.stringify(path)} is a file)`);
  return real;
}

/**
 * The fs extension on local disk: `fs::read`, `fs::write`, ... (docs/ref-storage.md) over folders
 * of this machine, with core's fs policy (modes, path rules, glob, maxFileSize) applied.
 * Each mount's `path` must be an existing folder (`FS_INVALID_CONFIG` naming
 * `mounts.<name>.path` otherwise). See `LocalFsBackend` for symlink handling and atomic
 * writes.
 *
 * @example
 * const fs = createFsExtension({ mounts: { data: { path: './data', mode: 'read-write' } } });
 * const ctx = createRuntimeContext({ functions: { ...fs.functions } });
 * // ... execute scripts ...
 * await fs.dispose();
 */
export function createFsExtension(options: FsExtensionOptions): ExtensionResult {
  assertFsOptionKeys(options, ['mounts', 'namespace'], '');
  return defineFsExtension({
    backend: 'local',
    namespace: options.namespace,
    mounts: options.mounts,
    backendMountOptions: ['path'],
    createBackend: (name, mount) => new LocalFsBackend(mountRoot(name, mount.path)),
  });
}
