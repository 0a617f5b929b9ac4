import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import {
  type KvExtensionOptions,
  type KvMountOptions,
  RillError,
  assertKnownKvOptions,
  isNonEmptyString,
  isWholeNumberIn,
  kvConfigError,
  optionOrDefault,
} from '@rillkit/core';

/** Options of one mount of `createSqliteKvExtension`: the common kv options plus where to store. */
export interface SqliteKvMountOptions extends KvMountOptions {
  /**
   * The SQLite database file. Relative paths resolve against the working directory when the
   * extension is created; the folder must exist, the file is created on first use. Mounts
   * naming the same file share one connection.
   */
  readonly database: string;
  /**
   * The table that holds the mount's entries: a letter or `_`, then letters, digits and `_`
   * (at most 128 characters, not `sqlite_*`, not {@link SQLITE_KV_META_TABLE}). Default:
   * `kv_` plus the mount name with `.` and `-` turned into `_` (`user` -> `kv_user`).
   * Two mounts of one extension cannot use the same table of the same file.
   */
  readonly table?: string;
}

/**
 * SQLite's `synchronous` level for every connection of the extension (in WAL mode):
 * - `'full'` (default): each write's commit is fsynced before the call returns, so an
 *   acknowledged write survives an application crash **and** a power loss or OS crash.
 * - `'normal'`: commits reach the operating system but are fsynced only at checkpoints; an
 *   acknowledged write survives an application crash (kill -9 included), but the last
 *   writes before a power loss or OS crash may be rolled back. The database is never
 *   corrupted either way. Faster when fsync is slow.
 */
export type SqliteKvSynchronous = 'full' | 'normal';

/** Options of `createSqliteKvExtension`. */
export interface SqliteKvOptions extends KvExtensionOptions<SqliteKvMountOptions> {
  /**
   * How long, in milliseconds, a call waits for a lock another connection or process holds
   * before failing with `KV_BACKEND_UNAVAILABLE`. Default 5,000; `0` fails at once.
   */
  readonly busyTimeout?: number;
  /** Durability of acknowledged writes; see {@link SqliteKvSynchronous}. Default `'full'`. */
  readonly synchronous?: SqliteKvSynchronous;
}

/** Default `busyTimeout` in milliseconds. */
export const SQLITE_KV_DEFAULT_BUSY_TIMEOUT = 5_000;

/**
 * The table in every database where the extension keeps each kv table's entry count and
 * byte size, so limit checks never scan a table. A mount cannot use this name.
 */
export const SQLITE_KV_META_TABLE = 'rillkit_kv_meta';

/** Longest table name accepted. */
const MAX_TABLE_NAME = 128;
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The extension-wide settings after validation. */
export interface ResolvedSqliteKvSettings {
  readonly busyTimeout: number;
  readonly synchronous: SqliteKvSynchronous;
}

/** The options `createSqliteKvExtension` accepts at the top level. */
const TOP_LEVEL_OPTIONS = ['mounts', 'namespace', 'now', 'busyTimeout', 'synchronous'];

/**
 * Check the top-level options (the mounts are checked by core and {@link resolveDatabaseFile}
 * / {@link resolveTableName}).
 * @throws `KV_INVALID_CONFIG` naming the field for an unknown option, a `busyTimeout` that
 *   is not a whole number of milliseconds from 0 to 2^31-1, or another `synchronous`
 *   (`null` included: an option is absent only when `undefined`).
 */
export function resolveSqliteKvSettings(options: unknown): ResolvedSqliteKvSettings {
  assertKnownKvOptions(options, TOP_LEVEL_OPTIONS, '');
  // `null` is refused, never read as the default (docs/ref-storage.md, "Options fail closed").
  const busyTimeout = optionOrDefault(options['busyTimeout'], SQLITE_KV_DEFAULT_BUSY_TIMEOUT);
  if (!isWholeNumberIn(busyTimeout, 0, 0x7fffffff))
    throw kvConfigError('busyTimeout', 'must be a whole number of milliseconds (0 or more)');
  const synchronous = optionOrDefault(options['synchronous'], 'full');
  if (synchronous !== 'full' && synchronous !== 'normal')
    throw kvConfigError('synchronous', "must be 'full' or 'normal'");
  return { busyTimeout, synchronous };
}

/**
 * The canonical absolute path of a mount's database file, so two spellings of one file
 * share one connection: the folder resolved through symlinks (it must exist), and the file
 * itself through symlinks when it exists.
 * @throws `KV_INVALID_CONFIG` (`field`) for a missing, empty or non-string value,
 *   `':memory:'`, a folder that does not exist, or a path that is a folder.
 */
export function resolveDatabaseFile(database: unknown, field: string): string {
  if (!isNonEmptyString(database))
    throw kvConfigError(field, 'must be the path of a SQLite database file');
  if (database === ':memory:') {
    throw kvConfigError(
      field,
      "must be a file: use the built-in kv extension with store ':memory:' for memory",
    );
  }
  // Never pass the host's text to SQLite as given: an absolute path also keeps a name
  // starting with `file:` from ever being read as a URI.
  const target = resolve(database);
  try {
    const existing = statSync(target, { throwIfNoEntry: false });
    if (existing?.isDirectory() === true) throw kvConfigError(field, 'is a folder, not a file');
    if (existing !== undefined) return realpathSync(target);
    let folder: string;
    try {
      folder = realpathSync(dirname(target));
    } catch (cause) {
      throw kvConfigError(field, 'its folder does not exist (create it first)', cause);
    }
    if (!statSync(folder).isDirectory()) throw kvConfigError(field, 'its folder is not a folder');
    return join(folder, basename(target));
  } catch (error) {
    if (RillError.is(error)) throw error;
    throw kvConfigError(field, `cannot be used: ${(error as Error).message}`, error);
  }
}

/**
 * The table of a mount: `table` when given (validated), else derived from the mount name.
 * @throws `KV_INVALID_CONFIG` (`field`) for a table name that is not a plain identifier,
 *   longer than 128 characters, reserved by SQLite (`sqlite_*`) or the meta table.
 * @example resolveTableName(undefined, 'user-state', 'mounts.user-state.table') // 'kv_user_state'
 */
export function resolveTableName(table: unknown, mount: string, field: string): string {
  const name = table === undefined ? defaultTableName(mount) : table;
  if (typeof name !== 'string' || !TABLE_NAME.test(name) || name.length > MAX_TABLE_NAME) {
    throw kvConfigError(
      field,
      `must be a table name: a letter or _, then letters, digits or _ (at most ${MAX_TABLE_NAME})`,
    );
  }
  if (/^sqlite_/i.test(name))
    throw kvConfigError(field, 'names starting with sqlite_ are reserved');
  if (name.toLowerCase() === SQLITE_KV_META_TABLE)
    throw kvConfigError(field, `${SQLITE_KV_META_TABLE} is reserved for the entry counts`);
  return name;
}

/** `kv_` plus the mount name, with the characters a mount name may have but a table may not as `_`. */
export function defaultTableName(mount: string): string {
  return `kv_${mount.replace(/[^A-Za-z0-9_]/g, '_')}`;
}
