import type { ErrorCode } from '../errors/codes.js';
import { RillBackendError, RillError } from '../errors/rill-error.js';

/**
 * Create a coded kv error. `details` should name the mount (and key) when known; policy
 * adds them to every error that leaves a kv function anyway (see {@link withKvContext}).
 *
 * @example
 * throw kvError('KV_UNDECLARED_KEY', 'key "x" is not declared', { mount: 'user', key: 'x' });
 */
export function kvError(
  code: ErrorCode,
  message: string,
  details: Readonly<Record<string, unknown>> = {},
  cause?: unknown,
): RillBackendError {
  return new RillBackendError(
    code,
    message,
    cause === undefined ? { details } : { details, cause },
  );
}

/**
 * A `KV_INVALID_CONFIG` error naming the bad option by its path, e.g.
 * `mounts.user.maxEntries`. `details.field` carries the same path.
 */
export function kvConfigError(field: string, message: string, cause?: unknown): RillBackendError {
  return kvError('KV_INVALID_CONFIG', `${field}: ${message}`, { field }, cause);
}

/**
 * Turn anything a kv operation threw into a coded kv error carrying `details.mount` (and
 * `details.key` when the operation had one key):
 * - a `KV_*` error keeps its code and message; missing mount/key details are added;
 * - a `LIMIT_*` error (a value too deep, the run's memory budget) keeps its code too, with
 *   the same details added: it names the real cause, not a storage failure;
 * - any other error — a raw driver error or a non-kv `RillError` — becomes
 *   `KV_BACKEND_FAILURE` with the original as `cause`.
 */
export function withKvContext(error: unknown, mount: string, key?: string): RillError {
  if (RillError.is(error) && (error.code.startsWith('KV_') || error.code.startsWith('LIMIT_'))) {
    const hasMount = error.details['mount'] !== undefined;
    const hasKey = key === undefined || error.details['key'] !== undefined;
    if (hasMount && hasKey) return error;
    const details: Record<string, unknown> = { ...error.details };
    if (!hasMount) details['mount'] = mount;
    if (!hasKey) details['key'] = key;
    const options = { details, cause: error.cause };
    const copy = error.code.startsWith('KV_')
      ? kvError(error.code, error.message, details, error.cause)
      : new RillError(error.code, error.message, options);
    if (error.stack !== undefined) copy.stack = error.stack;
    return copy;
  }
  const reason = error instanceof Error ? error.message : String(error);
  const details: Record<string, unknown> = key === undefined ? { mount } : { mount, key };
  return kvError('KV_BACKEND_FAILURE', `the storage backend failed: ${reason}`, details, error);
}
