import type { ErrorCode } from '../errors/codes.js';
import { RillBackendError, RillError } from '../errors/rill-error.js';

/** The `FS_*` codes: the only codes an fs backend or the fs policy raises. */
export type FsErrorCode = Extract<ErrorCode, `FS_${string}`>;

/** Extra facts for {@link fsError}. */
export interface FsErrorOptions {
  /** A short, human reason appended to the message (e.g. `'permission denied'`). */
  readonly reason?: string | undefined;
  /** More structured details, merged after `path`. */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  /** The underlying error (an errno error, an SDK error), kept for debugging. */
  readonly cause?: unknown;
}

const SUMMARIES: Partial<Record<FsErrorCode, string>> = {
  FS_NOT_FOUND: 'not found',
  FS_PATH_ESCAPE: 'leaves the mount root',
  FS_INVALID_PATH: 'is not a valid path',
  FS_NOT_A_FILE: 'is not a file',
  FS_NOT_A_DIRECTORY: 'is not a folder (or a parent is a file)',
  FS_NOT_EMPTY: 'is a folder that is not empty',
  FS_FILE_TOO_LARGE: 'is larger than maxFileSize',
  FS_GLOB_DENIED: 'is not admitted by the mount glob',
  FS_READ_ONLY: 'cannot be changed: the mount is read-only',
  FS_WRITE_ONLY: 'cannot be read: the mount is write-only',
  FS_BACKEND_UNAVAILABLE: 'cannot be reached',
  FS_BACKEND_FAILURE: 'failed in the backend',
};

const MAX_SHOWN = 120;

/** Quote a path for a message: escaped, and cut short when very long. */
export function showFsPath(path: string): string {
  const cut = path.length > MAX_SHOWN ? `${path.slice(0, MAX_SHOWN)}…` : path;
  return JSON.stringify(cut);
}

/**
 * Build a coded fs error about `path`. Backends throw these instead of raw driver errors;
 * `details.path` is always set (the mount is added by the policy layer).
 *
 * @example
 * throw fsError('FS_NOT_FOUND', 'notes/a.md');
 * throw fsError('FS_BACKEND_FAILURE', path, { reason: 'permission denied', cause: err });
 */
export function fsError(
  code: FsErrorCode,
  path: string,
  options: FsErrorOptions = {},
): RillBackendError {
  const summary = SUMMARIES[code] ?? 'failed';
  const reason = options.reason === undefined ? '' : `: ${options.reason}`;
  return new RillBackendError(code, `${showFsPath(path === '' ? '/' : path)} ${summary}${reason}`, {
    details: { path, ...options.details },
    cause: options.cause,
  });
}

/**
 * Put an error that escaped a backend into the fs error model: coded `FS_*` errors gain
 * `details.mount` (and any `extra` details not already present); other rillkit errors pass
 * through unchanged; anything else becomes `FS_BACKEND_FAILURE` with the original as `cause`.
 */
export function toFsError(
  error: unknown,
  mount: string,
  path: string,
  extra: Readonly<Record<string, unknown>> = {},
): RillError {
  if (RillError.is(error)) {
    if (!error.code.startsWith('FS_')) return error;
    if (error.details['mount'] === mount) return error;
    const wrapped = new RillBackendError(error.code, error.message, {
      details: { mount, path, ...extra, ...error.details },
      cause: error.cause,
      span: error.span,
      source: error.source,
    });
    if (error.stack !== undefined) wrapped.stack = error.stack;
    return wrapped;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RillBackendError(
    'FS_BACKEND_FAILURE',
    `fs mount ${JSON.stringify(mount)} failed: ${message}`,
    {
      details: { mount, path, ...extra },
      cause: error,
    },
  );
}
