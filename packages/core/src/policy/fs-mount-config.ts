import type { FsMountConfig } from '../contracts/fs.js';
import { RillBackendError } from '../errors/rill-error.js';
import { HOST_FUNCTION_NAME } from '../host/host-function.js';
import { ACCESS_MODES, DEFAULT_ACCESS_MODE, isAccessMode } from './modes.js';
import { isNonEmptyString, isWholeNumberIn } from './option-values.js';
import { isPlainObject } from './plain-object.js';

/** The default `maxFileSize`: 10 MiB. */
export const FS_DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

/** The default extension namespace: functions are registered as `fs::read`, ... */
export const FS_DEFAULT_NAMESPACE = 'fs';

/** Mount option names every fs backend accepts (see `FsMountOptions`). */
export const FS_COMMON_MOUNT_OPTIONS: readonly string[] = Object.freeze([
  'mode',
  'glob',
  'maxFileSize',
]);

/**
 * An `FS_INVALID_CONFIG` error naming the offending option in the message and in
 * `details.field` (a dotted path such as `mounts.docs.maxFileSize`).
 */
export function fsConfigError(field: string, problem: string, cause?: unknown): RillBackendError {
  return new RillBackendError('FS_INVALID_CONFIG', `${field} ${problem}`, {
    details: { field },
    cause,
  });
}

/**
 * Check that `value` is a plain object whose keys are all in `allowed` — no option is
 * silently ignored.
 * @param field the dotted name of `value` used in messages (`''` for the top level).
 * @throws `FS_INVALID_CONFIG` naming the first unknown option.
 */
export function assertFsOptionKeys(
  value: unknown,
  allowed: readonly string[],
  field: string,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value))
    throw fsConfigError(field === '' ? 'options' : field, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw fsConfigError(
        field === '' ? key : `${field}.${key}`,
        `is not a known option (known: ${allowed.join(', ')})`,
      );
    }
  }
}

/**
 * Validate the `namespace` option of an fs extension factory.
 * @returns the namespace to register functions under (`'fs'` when absent).
 * @throws `FS_INVALID_CONFIG` (`field: 'namespace'`) unless it is an identifier such as `docs`
 *   (or `a::b`).
 */
export function validateFsNamespace(namespace: unknown): string {
  if (namespace === undefined) return FS_DEFAULT_NAMESPACE;
  if (typeof namespace !== 'string' || !HOST_FUNCTION_NAME.test(namespace)) {
    throw fsConfigError('namespace', 'must be an identifier such as "files"');
  }
  return namespace;
}

/**
 * Validate the `mounts` option: a plain object with at least one mount, each a plain object.
 * @returns the mount names in declaration order.
 */
export function validateFsMounts(mounts: unknown): readonly string[] {
  if (!isPlainObject(mounts)) throw fsConfigError('mounts', 'must be an object of named mounts');
  const names = Object.keys(mounts);
  if (names.length === 0) throw fsConfigError('mounts', 'must name at least one mount');
  for (const name of names) {
    if (name === '') throw fsConfigError('mounts', 'has a mount with an empty name');
    if (!isPlainObject(mounts[name]))
      throw fsConfigError(`mounts.${name}`, 'must be an object of mount options');
  }
  return names;
}

/**
 * Validate one mount's common options and reject unknown ones.
 *
 * @param name the mount name.
 * @param options the mount's options as the host wrote them.
 * @param backendOptions option names the backend handles itself (e.g. `['path']`); the
 *   backend validates their values.
 * @throws `FS_INVALID_CONFIG` naming the field: unknown option, `mode` not one of
 *   `read`/`write`/`read-write`, `glob` not a non-empty string, `maxFileSize` not a
 *   positive safe integer.
 */
export function validateFsMountConfig(
  name: string,
  options: unknown,
  backendOptions: readonly string[],
): FsMountConfig {
  const field = `mounts.${name}`;
  assertFsOptionKeys(options, [...FS_COMMON_MOUNT_OPTIONS, ...backendOptions], field);
  const { mode, glob, maxFileSize } = options;
  if (mode !== undefined && !isAccessMode(mode)) {
    throw fsConfigError(
      `${field}.mode`,
      `must be one of ${ACCESS_MODES.map((m) => `'${m}'`).join(', ')}`,
    );
  }
  if (glob !== undefined && !isNonEmptyString(glob)) {
    throw fsConfigError(`${field}.glob`, 'must be a non-empty string');
  }
  if (maxFileSize !== undefined && !isWholeNumberIn(maxFileSize, 1, Number.MAX_SAFE_INTEGER)) {
    throw fsConfigError(`${field}.maxFileSize`, 'must be a positive integer (bytes)');
  }
  return {
    name,
    mode: mode ?? DEFAULT_ACCESS_MODE,
    glob,
    maxFileSize: maxFileSize ?? FS_DEFAULT_MAX_FILE_SIZE,
  };
}
