import type { AccessMode } from '../policy/modes.js';

/**
 * What a folder entry is. Backends report only these two kinds: anything else a storage
 * system may hold (sockets, FIFOs, devices, dangling links) is treated as absent.
 */
export type FsEntryType = 'file' | 'directory';

/**
 * One entry of a folder, as a backend reports it from {@link FsBackend.list}.
 *
 * @example
 * { name: 'notes.md', type: 'file', size: 1204 }
 */
export interface FsEntry {
  /** The entry's own name (one path segment, never containing `/`). */
  readonly name: string;
  /** `'file'` or `'directory'`. */
  readonly type: FsEntryType;
  /** Size in bytes for a file; always `0` for a folder (folder sizes are not portable). */
  readonly size: number;
}

/**
 * Facts about one file or folder, as a backend reports them from {@link FsBackend.stat}.
 * Times are milliseconds since the epoch; the policy layer turns them into ISO-8601 text.
 */
export interface FsBackendStat {
  /** `'file'` or `'directory'`. */
  readonly type: FsEntryType;
  /** Size in bytes for a file; `0` for a folder. */
  readonly size: number;
  /** Last modification time, or `undefined` when the backend cannot tell. */
  readonly modified: number | undefined;
  /** Creation time, or `undefined` when the backend cannot tell (e.g. no birth time). */
  readonly created: number | undefined;
}

/**
 * The storage primitives an fs backend implements. One instance serves one mount.
 *
 * Every `path` a backend receives is **canonical**: produced by `normalizeFsPath`, relative
 * to the mount root, `/`-separated, with no leading or trailing slash, no empty, `.` or `..`
 * segments, no control characters and no backslashes; `''` is the mount root. Mount policy
 * (modes, the mount glob, `maxFileSize` on writes, sorting, path rules, value conversion,
 * error details such as the mount name) is applied by core before and after each call, so a
 * backend never re-implements it.
 *
 * Failures are reported by throwing core's coded errors, built with `fsError(code, path)`:
 * `FS_NOT_FOUND`, `FS_NOT_A_FILE`, `FS_NOT_A_DIRECTORY`, `FS_NOT_EMPTY`, `FS_FILE_TOO_LARGE`,
 * `FS_PATH_ESCAPE` (e.g. a symlink leaving the root), `FS_INVALID_PATH`,
 * `FS_BACKEND_UNAVAILABLE`, `FS_BACKEND_FAILURE`. Never throw a raw driver error on purpose:
 * core wraps anything uncoded as `FS_BACKEND_FAILURE` (keeping it as `cause`), which hides the
 * real reason from scripts.
 *
 * Writes must be atomic: a concurrent reader sees the old content or the new content, never
 * a mix, and a failed write leaves the old file (and nothing else) behind.
 */
export interface FsBackend {
  /**
   * The bytes of a file.
   * @param maxBytes the largest size allowed; a larger file throws `FS_FILE_TOO_LARGE`
   *   without being loaded.
   * @throws `FS_NOT_FOUND` (absent, or a parent is a file), `FS_NOT_A_FILE` (a folder).
   */
  read(path: string, maxBytes: number): Promise<Uint8Array>;

  /**
   * Replace (or create) a file with `data`, atomically, creating missing parent folders.
   * @throws `FS_NOT_A_FILE` when `path` is a folder, `FS_NOT_A_DIRECTORY` when a parent is a
   *   file.
   */
  write(path: string, data: Uint8Array): Promise<void>;

  /**
   * Add `data` to the end of a file, creating it (and missing parent folders) when absent.
   * The resulting file is published atomically, like {@link FsBackend.write}.
   * @param maxBytes the largest resulting size; when `current size + data.length` exceeds it,
   *   throw `FS_FILE_TOO_LARGE` and change nothing.
   * @throws `FS_NOT_A_FILE`, `FS_NOT_A_DIRECTORY` as for `write`.
   */
  append(path: string, data: Uint8Array, maxBytes: number): Promise<void>;

  /**
   * Every entry of a folder, in any order — complete, never capped.
   * @throws `FS_NOT_FOUND` (absent), `FS_NOT_A_DIRECTORY` (a file).
   */
  list(path: string): Promise<readonly FsEntry[]>;

  /**
   * Every file below the folder `base` (recursively), as canonical paths relative to the
   * mount root (not to `base`), in any order. An absent `base`, or one that is a file,
   * yields `[]`.
   */
  walk(base: string): Promise<readonly string[]>;

  /** Facts about a file or folder, or `undefined` when nothing is there. */
  stat(path: string): Promise<FsBackendStat | undefined>;

  /**
   * Remove a file or an empty folder. Never called with the root (`''`).
   * @returns `false` when nothing was there.
   * @throws `FS_NOT_EMPTY` for a folder that still has entries.
   */
  remove(path: string): Promise<boolean>;

  /**
   * Create a folder and any missing parents.
   * @returns `false` when the folder already existed.
   * @throws `FS_NOT_A_DIRECTORY` when a file is in the way (at `path` or a parent).
   */
  mkdir(path: string): Promise<boolean>;

  /**
   * Copy a file onto `to`, replacing it atomically and creating missing parent folders.
   * @param maxBytes as for `read`: a larger source throws `FS_FILE_TOO_LARGE`.
   * @throws `FS_NOT_FOUND` (no source), `FS_NOT_A_FILE` (source or target is a folder),
   *   `FS_NOT_A_DIRECTORY` (a parent of `to` is a file).
   */
  copy(from: string, to: string, maxBytes: number): Promise<void>;

  /**
   * Move a file onto `to`, replacing it and creating missing parent folders. The same
   * errors as `copy`. Moving a file onto itself changes nothing.
   */
  move(from: string, to: string): Promise<void>;

  /** Release resources. Called once, by the extension's `dispose()`. */
  close(): Promise<void>;
}

/**
 * The mount options every fs backend accepts; backends add their own (e.g. local `path`,
 * S3 `bucket`/`prefix`).
 *
 * @example
 * { mode: 'read', glob: '*.{md,txt}', maxFileSize: 1_048_576 }
 */
export interface FsMountOptions {
  /** `'read'`, `'write'` or `'read-write'` (the default). */
  readonly mode?: AccessMode | undefined;
  /**
   * The file names the mount admits (picomatch syntax, dot files not special). A glob
   * without `/` is matched against a file's base name (`'*.md'` admits `notes/a.md`); a glob
   * with `/` is matched against the whole path relative to the mount root
   * (`'docs/**\/*.md'`). Folders are never filtered. Absent: every file is admitted.
   */
  readonly glob?: string | undefined;
  /** The largest file, in bytes, that may be read or written (default 10 MiB). */
  readonly maxFileSize?: number | undefined;
}

/**
 * A mount's validated common configuration, as the policy layer uses it.
 */
export interface FsMountConfig {
  /** The mount's name, as scripts pass it. */
  readonly name: string;
  /** The access mode. */
  readonly mode: AccessMode;
  /** The mount glob, or `undefined` when every file is admitted. */
  readonly glob: string | undefined;
  /** The largest file, in bytes, that may be read or written. */
  readonly maxFileSize: number;
}
