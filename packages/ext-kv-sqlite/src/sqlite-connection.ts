import Database from 'better-sqlite3';
import { kvError } from '@rillkit/core';
import { sqliteCodeOf } from './map-error.js';
import type { ResolvedSqliteKvSettings } from './options.js';

/** An open better-sqlite3 database. */
export type SqliteDatabase = Database.Database;

/**
 * The one connection an extension keeps to one database file, shared by every mount
 * stored in that file. It opens on first use, so creating the extension does no I/O
 * beyond checking paths; an open that fails (the file is locked, its folder vanished) is
 * retried by the next call.
 *
 * Every connection runs in WAL mode (readers never block the writer, and a crash never
 * leaves a half-applied transaction), with the extension's `synchronous` level and busy
 * timeout.
 */
export class SqliteConnection {
  private db: SqliteDatabase | undefined;
  private closed = false;

  constructor(
    /** Canonical absolute path of the database file. */
    readonly file: string,
    private readonly settings: ResolvedSqliteKvSettings,
  ) {}

  /**
   * The open database, opening and configuring it on first use.
   * @throws `KV_BACKEND_UNAVAILABLE` once {@link close}d or when the file cannot be opened;
   *   SQLite's own error (for `mapSqliteError`) when configuring it fails.
   */
  database(): SqliteDatabase {
    if (this.db !== undefined) return this.db;
    if (this.closed) {
      throw kvError('KV_BACKEND_UNAVAILABLE', 'the SQLite connection has been closed', {
        reason: 'closed',
      });
    }
    this.db = openDatabase(this.file, this.settings);
    return this.db;
  }

  /** Close the connection if it was opened; later calls do nothing. */
  close(): void {
    this.closed = true;
    const db = this.db;
    this.db = undefined;
    db?.close();
  }
}

function openDatabase(file: string, settings: ResolvedSqliteKvSettings): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(file, { timeout: settings.busyTimeout });
  } catch (error) {
    if (sqliteCodeOf(error) !== undefined) throw error;
    // better-sqlite3 checks the folder itself and throws a plain TypeError without a code.
    throw kvError(
      'KV_BACKEND_UNAVAILABLE',
      `the database file cannot be opened: ${(error as Error).message}`,
      { reason: 'cannot-open' },
      error,
    );
  }
  try {
    // BINARY collation compares bytes; the key range scans rely on those bytes being UTF-8.
    const encoding: unknown = db.pragma('encoding', { simple: true });
    if (encoding !== 'UTF-8') {
      throw kvError(
        'KV_BACKEND_FAILURE',
        `the database uses the ${String(encoding)} text encoding; kv stores need UTF-8`,
        { encoding },
      );
    }
    const mode: unknown = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw kvError(
        'KV_BACKEND_FAILURE',
        `the database cannot use write-ahead logging (journal_mode stays ${String(mode)})`,
        { journalMode: mode },
      );
    }
    db.pragma(`synchronous = ${settings.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
