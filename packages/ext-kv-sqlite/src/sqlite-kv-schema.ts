import { kvConfigError } from '@rillkit/core';
import { SQLITE_KV_META_TABLE } from './options.js';
import type { SqliteDatabase } from './sqlite-connection.js';

/**
 * The columns of a kv table, in order. `size` is computed by SQLite from the stored bytes
 * (UTF-8 bytes of the key plus of the value JSON, exactly what `maxStoreSize` counts), so
 * it stays right whoever writes the row.
 */
const KV_COLUMNS = ['key', 'value', 'expires_at', 'size'] as const;

/** A table name as an SQL identifier. Names are validated to `[A-Za-z0-9_]`, quoting is belt and braces. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Create the kv table of a mount (and the shared meta table) if they do not exist, or
 * check that an existing table is a kv table. Runs in one IMMEDIATE transaction so two
 * processes starting at once cannot both create it.
 *
 * Layout of a kv table `T`:
 * - `key TEXT PRIMARY KEY` (BINARY collation: UTF-8 byte order), `value TEXT` (the JSON
 *   core produced), `expires_at REAL` (ms since the epoch, `NULL` = never), `size`
 *   (generated); `WITHOUT ROWID`, so a key lookup is one B-tree search.
 * - an index on `expires_at`, so finding expired rows costs a range seek, not a scan.
 * - triggers that keep `T`'s row in {@link SQLITE_KV_META_TABLE} (`entries`, `bytes`) up
 *   to date inside whatever statement changes `T`, so the count is always transactionally
 *   exact and limit checks read one row.
 *
 * The meta row is keyed by the lower-case table name (SQLite names are case-insensitive).
 * A table created here starts with a fresh meta row; an existing table whose meta row is
 * missing is counted once.
 *
 * @throws `KV_INVALID_CONFIG` (`field`) when the name belongs to something that is not a
 *   kv table (another table of the application, a view, an index).
 */
export function ensureKvTable(db: SqliteDatabase, table: string, field: string): void {
  const t = quoteIdentifier(table);
  const key = table.toLowerCase();
  const meta = quoteIdentifier(SQLITE_KV_META_TABLE);
  const trigger = (suffix: string) => quoteIdentifier(`${table}_rillkit_${suffix}`);
  const setup = db.transaction(() => {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${meta} (` +
        'kv_table TEXT PRIMARY KEY NOT NULL, entries INTEGER NOT NULL, bytes INTEGER NOT NULL' +
        ') WITHOUT ROWID',
    );
    const existing = db
      .prepare('SELECT type FROM sqlite_schema WHERE name = ? COLLATE NOCASE')
      .pluck()
      .get(table) as string | undefined;
    if (existing === undefined) {
      db.exec(
        `CREATE TABLE ${t} (` +
          'key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL, expires_at REAL, ' +
          'size INTEGER GENERATED ALWAYS AS (length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))) STORED' +
          ') WITHOUT ROWID',
      );
      db.prepare(`DELETE FROM ${meta} WHERE kv_table = ?`).run(key);
    } else if (existing !== 'table' || !hasKvColumns(db, table)) {
      throw kvConfigError(
        field,
        `"${table}" already exists in the database and is not a kv table (choose another table)`,
      );
    }
    db.exec(
      `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_rillkit_expiry`)} ON ${t} (expires_at);` +
        `CREATE TRIGGER IF NOT EXISTS ${trigger('insert')} AFTER INSERT ON ${t} BEGIN ` +
        `UPDATE ${meta} SET entries = entries + 1, bytes = bytes + NEW.size WHERE kv_table = '${key}'; END;` +
        `CREATE TRIGGER IF NOT EXISTS ${trigger('delete')} AFTER DELETE ON ${t} BEGIN ` +
        `UPDATE ${meta} SET entries = entries - 1, bytes = bytes - OLD.size WHERE kv_table = '${key}'; END;` +
        `CREATE TRIGGER IF NOT EXISTS ${trigger('update')} AFTER UPDATE ON ${t} BEGIN ` +
        `UPDATE ${meta} SET bytes = bytes - OLD.size + NEW.size WHERE kv_table = '${key}'; END;`,
    );
    db.prepare(
      `INSERT OR IGNORE INTO ${meta} (kv_table, entries, bytes) ` +
        `SELECT ?, count(*), coalesce(sum(size), 0) FROM ${t}`,
    ).run(key);
  });
  setup.immediate();
}

function hasKvColumns(db: SqliteDatabase, table: string): boolean {
  const columns = db.pragma(`table_xinfo(${quoteIdentifier(table)})`) as { name: string }[];
  return columns.length === KV_COLUMNS.length && columns.every((c, i) => c.name === KV_COLUMNS[i]);
}
