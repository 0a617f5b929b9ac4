import { type ErrorCode, RillError, kvError } from '@rillkit/core';

/**
 * SQLite result codes (the primary code, before any `_EXTENDED` part) and the kv code each
 * becomes. Everything else is `KV_BACKEND_FAILURE`.
 *
 * - `BUSY` / `LOCKED`: another connection or process held a lock for longer than the busy
 *   timeout. The store exists and is intact, it just cannot be reached now.
 * - `CANTOPEN`: the file cannot be opened (its folder was removed, permissions).
 * - `CORRUPT` / `NOTADB`: the file is damaged or is not a SQLite database; nothing is
 *   written to it.
 * - `FULL`, `IOERR`, `READONLY`, `PERM`, ...: the store was reached but the operation
 *   failed; the transaction was rolled back.
 */
const CODES: Readonly<Record<string, ErrorCode>> = {
  SQLITE_BUSY: 'KV_BACKEND_UNAVAILABLE',
  SQLITE_LOCKED: 'KV_BACKEND_UNAVAILABLE',
  SQLITE_CANTOPEN: 'KV_BACKEND_UNAVAILABLE',
  SQLITE_CORRUPT: 'KV_CORRUPT_STORE',
  SQLITE_NOTADB: 'KV_CORRUPT_STORE',
};

/** Why the database was unavailable, for `details.reason`. */
const REASONS: Readonly<Record<string, string>> = {
  SQLITE_BUSY: 'locked',
  SQLITE_LOCKED: 'locked',
  SQLITE_CANTOPEN: 'cannot-open',
};

/**
 * Turn whatever a SQLite call threw into a coded kv error, keeping the original as
 * `cause`. Rill errors (limit checks, a corrupt value found by core, config errors) pass
 * through unchanged. A better-sqlite3 `SqliteError` is mapped by its result code (see
 * {@link CODES}) with `details.sqliteCode` set to the full extended code. Anything else
 * becomes `KV_BACKEND_FAILURE`.
 *
 * Messages carry SQLite's own text, which names no file path.
 *
 * @example mapSqliteError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }))
 * // RillBackendError KV_BACKEND_UNAVAILABLE { sqliteCode: 'SQLITE_BUSY', reason: 'locked' }
 */
export function mapSqliteError(error: unknown): RillError {
  if (RillError.is(error)) return error;
  const sqliteCode = sqliteCodeOf(error);
  const reason = error instanceof Error ? error.message : String(error);
  if (sqliteCode === undefined)
    return kvError('KV_BACKEND_FAILURE', `SQLite failed: ${reason}`, {}, error);
  const primary = sqliteCode.split('_').slice(0, 2).join('_');
  const code = CODES[primary] ?? 'KV_BACKEND_FAILURE';
  const details: Record<string, unknown> = { sqliteCode };
  const why = REASONS[primary];
  if (why !== undefined) details['reason'] = why;
  return kvError(code, `SQLite: ${reason} (${sqliteCode})`, details, error);
}

/** The `SQLITE_*` code better-sqlite3 puts on its errors, if `error` has one. */
export function sqliteCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}
