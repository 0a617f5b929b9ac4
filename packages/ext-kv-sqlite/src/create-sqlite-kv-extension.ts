import { type ExtensionResult, defineKvExtension, kvConfigError, kvError } from '@rillkit/core';
import {
  type SqliteKvMountOptions,
  type SqliteKvOptions,
  resolveDatabaseFile,
  resolveSqliteKvSettings,
  resolveTableName,
} from './options.js';
import { SqliteConnection } from './sqlite-connection.js';
import { SqliteKvBackend } from './sqlite-kv.js';

/**
 * The SQLite kv extension: every mount is a table in a SQLite database file (through
 * better-sqlite3), wrapped in the full kv policy from core (docs/ref-storage.md). Atomic
 * operations are atomic across processes; every write is committed before the call
 * returns (`writePolicy: 'dispose'` is refused with `KV_INVALID_CONFIG`).
 *
 * Mounts that name the same file share one connection, opened on first use in WAL mode
 * with the `synchronous` level and `busyTimeout` of the options. `dispose()` closes every
 * connection; it is idempotent.
 *
 * @throws `KV_INVALID_CONFIG` naming the field, before anything runs: an unknown option, a
 *   bad common option, a missing or empty `database`, `':memory:'`, a database whose folder
 *   does not exist or that is a folder, an invalid `table`, two mounts on one table of one
 *   file, a bad `busyTimeout` or `synchronous`.
 * @example
 * const kv = createSqliteKvExtension({ mounts: {
 *   user: { database: './data/app.db', table: 'user_state', schema: { name: { type: 'string' } } },
 *   cache: { database: './data/cache.db', ttl: 60 },
 * } });
 * const ctx = createRuntimeContext({ functions: kv.functions });
 * await execute(parse('kv::incr("cache", "hits")'), ctx);
 * await kv.dispose();
 */
export function createSqliteKvExtension(options: SqliteKvOptions): ExtensionResult {
  const settings = resolveSqliteKvSettings(options);
  const connections = new Map<string, SqliteConnection>();
  /** `file` + lower-case table -> the mount using it. */
  const tables = new Map<string, string>();
  return defineKvExtension<SqliteKvMountOptions>({
    mounts: options.mounts,
    namespace: options.namespace,
    now: options.now,
    backendOptions: ['database', 'table'],
    createBackend(mount, mountOptions, context) {
      const file = resolveDatabaseFile(mountOptions.database, `mounts.${mount}.database`);
      const tableField = `mounts.${mount}.table`;
      const table = resolveTableName(mountOptions.table, mount, tableField);
      const slot = `${file}\u0000${table.toLowerCase()}`;
      const other = tables.get(slot);
      if (other !== undefined) {
        // SQLite table names ignore case, and derived names turn "." and "-" into "_", so
        // mounts "A" and "a", or "a.b" and "a_b", meet on one table unless one is named.
        throw kvConfigError(
          tableField,
          `mount "${other}" already uses table "${table}" of the same database (table names ` +
            'ignore case; give this mount a table of its own)',
        );
      }
      tables.set(slot, mount);
      let connection = connections.get(file);
      if (connection === undefined) {
        connection = new SqliteConnection(file, settings);
        connections.set(file, connection);
      }
      return new SqliteKvBackend({ connection, table, tableField, now: context.now });
    },
    async dispose() {
      const failures: unknown[] = [];
      for (const connection of connections.values()) {
        try {
          connection.close();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) {
        throw kvError(
          'KV_BACKEND_FAILURE',
          `${failures.length} SQLite connection(s) could not be closed`,
          {},
          failures.length === 1 ? failures[0] : new AggregateError(failures),
        );
      }
    },
  });
}
