import { fsError, RillError, type FsErrorCode } from '@rillkit/core';

/** The `code` of a Node.js system error (`ENOENT`, ...), or `undefined`. */
export function errnoOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

const BY_ERRNO: Readonly<Record<string, { code: FsErrorCode; reason?: string }>> = {
  ENOENT: { code: 'FS_NOT_FOUND' },
  ENOTDIR: { code: 'FS_NOT_A_DIRECTORY' },
  EISDIR: { code: 'FS_NOT_A_FILE' },
  ENOTEMPTY: { code: 'FS_NOT_EMPTY' },
  // Most EEXISTs here come from creating a folder where a file already is.
  EEXIST: { code: 'FS_NOT_A_DIRECTORY', reason: 'something is already there' },
  ELOOP: { code: 'FS_INVALID_PATH', reason: 'too many levels of symbolic links' },
  ENAMETOOLONG: { code: 'FS_INVALID_PATH', reason: 'name too long for this file system' },
  EACCES: { code: 'FS_BACKEND_FAILURE', reason: 'permission denied' },
  EPERM: { code: 'FS_BACKEND_FAILURE', reason: 'operation not permitted' },
  EROFS: { code: 'FS_BACKEND_FAILURE', reason: 'read-only file system' },
  ENOSPC: { code: 'FS_BACKEND_FAILURE', reason: 'no space left on device' },
  EDQUOT: { code: 'FS_BACKEND_FAILURE', reason: 'disk quota exceeded' },
  EMFILE: { code: 'FS_BACKEND_FAILURE', reason: 'too many open files' },
  ENFILE: { code: 'FS_BACKEND_FAILURE', reason: 'too many open files' },
  EIO: { code: 'FS_BACKEND_FAILURE', reason: 'input/output error' },
  EBUSY: { code: 'FS_BACKEND_FAILURE', reason: 'resource busy' },
  EXDEV: { code: 'FS_BACKEND_FAILURE', reason: 'cross-device operation' },
};

/**
 * Map an error from `node:fs` to a coded fs error about `path` (the canonical mount path, not
 * the host path — host paths never reach scripts). Coded rillkit errors pass through; an
 * errno this table does not know becomes `FS_BACKEND_FAILURE`. The original is kept as
 * `cause`, and `details.errno` names it.
 */
export function mapFsError(error: unknown, path: string): RillError {
  if (RillError.is(error)) return error;
  const errno = errnoOf(error);
  const known = errno === undefined ? undefined : BY_ERRNO[errno];
  const reason = known?.reason ?? (errno === undefined ? undefined : errno.toLowerCase());
  return fsError(known?.code ?? 'FS_BACKEND_FAILURE', path, {
    reason,
    details: errno === undefined ? {} : { errno },
    cause: error,
  });
}
