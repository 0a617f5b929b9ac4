import type { Statement, Transaction } from 'better-sqlite3';
import {
  type KvBackend,
  type KvBackendCapabilities,
  type KvLimits,
  type KvRecord,
  type KvStoreStats,
  type KvUpdate,
  checkKvLimits,
  kvEntrySize,
  kvError,
  kvRecordDelta,
} from '@rillkit/core';
import { mapSqliteError } from './map-error.js';
import { SQLITE_KV_META_TABLE } from './options.js';
import { prefixUpperBound } from './prefix-range.js';
import type { SqliteConnection, SqliteDatabase } from './sqlite-connection.js';
import { ensureKvTable, quoteIdentifier } from './sqlite-kv-schema.js';

/** What the SQLite backend needs for one mount. */
export interface SqliteKvBackendOptions {
  /** The connection to the mount's database file (shared with the file's other mounts). */
  readonly connection: SqliteConnection;
  /** The validated table name. */
  readonly table: string;
  /** The option path reported if the table turns out to be unusable (`mounts.user.table`). */
  readonly tableField: string;
  /** The extension clock (ms since the epoch). */
  readonly now: () => number;
}

/**
 * The meta row's counts, the earliest expiry, and the key's row (`NULL`s when absent;
 * `value` is never `NULL` in a stored row).
 */
type ProbeRow = [
  entries: number,
  bytes: number,
  nextExpiry: unknown,
  value: unknown,
  expiresAt: unknown,
  size: number | null,
];

/** A row as the raw statements return it: `[value, expires_at]` or `[key, value, expires_at]`. */
type RecordRow = [value: unknown, expiresAt: unknown];
type EntryRow = [key: string, value: unknown, expiresAt: unknown];

/** The statements of one mount, prepared once. */
interface Statements {
  /** `[value, expires_at]` of an unexpired key. */
  readonly get: Statement<[string, number]>;
  /** The row of one key whatever its expiry (the caller checks it): the cheapest read. */
  readonly getAny: Statement<[string]>;
  /**
   * What a single-key write needs, in one statement: {@link ProbeRow} (`undefined` when the
   * meta row is missing).
   */
  readonly probe: Statement<[string, string]>;
  /** The earliest expiry in the table, `NULL` when nothing expires (plucked). */
  readonly nextExpiry: Statement<[]>;
  /** `[size, expires_at]` of a stored key. */
  readonly storedRow: Statement<[string]>;
  /** `[entries, bytes]` of the table's meta row. */
  readonly stats: Statement<[string]>;
  readonly recount: Statement<[string]>;
  readonly listAll: Statement<[number]>;
  readonly listFrom: Statement<[string, number]>;
  readonly listRange: Statement<[string, string, number]>;
  readonly upsert: Statement<[string, string, number | null]>;
  /** Replace only the value of an existing key (leaves the expiry index alone). */
  readonly replaceValue: Statement<[string, string]>;
  readonly remove: Statement<[string]>;
  readonly clearAll: Statement<[]>;
  readonly clearFrom: Statement<[string]>;
  readonly clearRange: Statement<[string, string]>;
  readonly purge: Statement<[number]>;
}

/**
 * The transaction functions of one mount, created once. Everything that varies between
 * calls is an argument, so the same function serves every call.
 */
interface Transactions {
  readonly getMany: Transaction<(now: number, keys: readonly string[]) => Map<string, KvRecord>>;
  readonly set: Transaction<(now: number, key: string, record: KvRecord, limits: KvLimits) => void>;
  readonly setMany: Transaction<
    (now: number, batch: ReadonlyMap<string, KvRecord>, limits: KvLimits) => void
  >;
  readonly delete: Transaction<(now: number, key: string) => boolean>;
  readonly deleteMany: Transaction<(now: number, keys: readonly string[]) => number>;
  readonly clear: Transaction<(now: number, prefix: string) => number>;
  readonly update: Transaction<
    (
      now: number,
      key: string,
      fn: (current: KvRecord | undefined) => KvUpdate<unknown>,
      limits: KvLimits,
    ) => unknown
  >;
}

interface Prepared {
  readonly s: Statements;
  readonly tx: Transactions;
}

/**
 * The SQLite kv backend: one table per mount (layout in `sqlite-kv-schema.ts`), reached
 * through the extension's shared connection to the mount's database file.
 *
 * - Reads are single statements (or, for `getMany`, one deferred transaction: one
 *   consistent snapshot) that filter out expired rows with `expires_at > now`.
 * - Every write — `set`, `setMany`, `delete`, `deleteMany`, `clear`, `update` — is one
 *   IMMEDIATE transaction: it takes the database's write lock first (waiting up to the
 *   busy timeout for other connections and processes), deletes the rows that have
 *   expired by now if the earliest expiry has passed (index seeks; the meta triggers
 *   adjust the counts), reads the entry count and byte size from the meta row, checks the
 *   limits with core's `checkKvLimits`, and writes. A throw anywhere — a limit, the update function, SQLite —
 *   rolls the whole transaction back. This is what makes `incr`, `cas`, `add`, `merge` and
 *   `setMany` atomic across processes.
 * - Prefixes select a key range (`key >= prefix AND key < bound`, see
 *   {@link prefixUpperBound}), never `LIKE`/`GLOB`, so no character is special. The rows
 *   come back in UTF-8 byte order; core sorts them by UTF-16 code unit.
 * - Statements and transaction functions are prepared once, on the first call.
 * - A value cell that is not text, or an expiry that is not a number, is
 *   `KV_CORRUPT_STORE`; core reports text that is not valid JSON the same way.
 *
 * Only the `'immediate'` write policy is offered: every write is committed before the
 * call returns, and buffering writes until dispose would give up the cross-process
 * atomicity that is the point of this backend.
 */
export class SqliteKvBackend implements KvBackend {
  readonly name = 'sqlite';
  readonly capabilities: KvBackendCapabilities = Object.freeze({
    writePolicies: Object.freeze(['immediate'] as const),
    crossProcess: true,
    persistent: true,
  });

  private readonly connection: SqliteConnection;
  private readonly table: string;
  private readonly tableField: string;
  private readonly now: () => number;
  private prepared: Prepared | undefined;

  constructor(options: SqliteKvBackendOptions) {
    this.connection = options.connection;
    this.table = options.table;
    this.tableField = options.tableField;
    this.now = options.now;
  }

  get(key: string): KvRecord | undefined {
    // Answered synchronously: better-sqlite3 reads block anyway, and a promise per read
    // would cost more than the read itself.
    return this.run(({ s }) => {
      // Expiry is checked here rather than in SQL: one bound parameter and no OR to
      // evaluate make the single-key read measurably cheaper.
      const row = s.getAny.get(key) as RecordRow | undefined;
      if (row === undefined) return undefined;
      const record = toRecord(row);
      return record.expiresAt !== undefined && record.expiresAt <= this.now() ? undefined : record;
    });
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KvRecord>> {
    // One deferred transaction: every key is read from the same snapshot.
    return this.run(({ tx }) => tx.getMany.deferred(this.now(), keys));
  }

  async list(prefix: string): Promise<readonly (readonly [string, KvRecord])[]> {
    return this.run(({ s }) => {
      const now = this.now();
      const bound = prefixUpperBound(prefix);
      const rows = (
        prefix === ''
          ? s.listAll.all(now)
          : bound === undefined
            ? s.listFrom.all(prefix, now)
            : s.listRange.all(prefix, bound, now)
      ) as EntryRow[];
      return rows.map(([key, value, expiresAt]) => [key, toRecord([value, expiresAt])] as const);
    });
  }

  async set(key: string, record: KvRecord, limits: KvLimits): Promise<void> {
    this.run(({ tx }) => tx.set.immediate(this.now(), key, record, limits));
  }

  async setMany(
    entries: readonly (readonly [string, KvRecord])[],
    limits: KvLimits,
  ): Promise<void> {
    // Later duplicates win, so only the final record of each key is written and counted.
    const batch = new Map<string, KvRecord>();
    for (const [key, record] of entries) batch.set(key, record);
    this.run(({ tx }) => tx.setMany.immediate(this.now(), batch, limits));
  }

  async delete(key: string): Promise<boolean> {
    return this.run(({ tx }) => tx.delete.immediate(this.now(), key));
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    return this.run(({ tx }) => tx.deleteMany.immediate(this.now(), [...new Set(keys)]));
  }

  async clear(prefix: string): Promise<number> {
    return this.run(({ tx }) => tx.clear.immediate(this.now(), prefix));
  }

  async update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T> {
    return this.run(({ tx }) => tx.update.immediate(this.now(), key, fn, limits) as T);
  }

  async flush(): Promise<void> {
    // Every write was committed (and synced per the `synchronous` level) before it resolved.
  }

  async close(): Promise<void> {
    // The connection belongs to the extension, which closes it once every mount is closed.
    this.prepared = undefined;
  }

  /** Run a synchronous operation against the prepared statements, mapping SQLite errors. */
  private run<T>(operation: (p: Prepared) => T): T {
    try {
      return operation(this.prepare());
    } catch (error) {
      throw mapSqliteError(error);
    }
  }

  /**
   * Open the connection, create or check the table and prepare everything, once. When
   * this fails (the file is locked, say) nothing is kept and the next call tries again.
   */
  private prepare(): Prepared {
    if (this.prepared !== undefined) return this.prepared;
    const db = this.connection.database();
    ensureKvTable(db, this.table, this.tableField);
    const s = prepareStatements(db, this.table);
    this.prepared = { s, tx: createTransactions(db, s, this.table.toLowerCase()) };
    return this.prepared;
  }
}

function prepareStatements(db: SqliteDatabase, table: string): Statements {
  const t = quoteIdentifier(table);
  const meta = quoteIdentifier(SQLITE_KV_META_TABLE);
  const live = '(expires_at IS NULL OR expires_at > ?)';
  const select = `SELECT key, value, expires_at FROM ${t}`;
  return {
    get: db
      .prepare<[string, number]>(`SELECT value, expires_at FROM ${t} WHERE key = ? AND ${live}`)
      .raw(),
    getAny: db.prepare<[string]>(`SELECT value, expires_at FROM ${t} WHERE key = ?`).raw(),
    probe: db
      .prepare<[string, string]>(
        `SELECT meta_row.entries, meta_row.bytes, (SELECT min(expires_at) FROM ${t}), ` +
          'kv_row.value, kv_row.expires_at, kv_row.size ' +
          `FROM ${meta} AS meta_row LEFT JOIN ${t} AS kv_row ON kv_row.key = ? WHERE meta_row.kv_table = ?`,
      )
      .raw(),
    nextExpiry: db.prepare<[]>(`SELECT min(expires_at) FROM ${t}`).pluck(),
    storedRow: db.prepare<[string]>(`SELECT size, expires_at FROM ${t} WHERE key = ?`).raw(),
    stats: db.prepare<[string]>(`SELECT entries, bytes FROM ${meta} WHERE kv_table = ?`).raw(),
    recount: db.prepare<[string]>(
      `INSERT OR IGNORE INTO ${meta} (kv_table, entries, bytes) ` +
        `SELECT ?, count(*), coalesce(sum(size), 0) FROM ${t}`,
    ),
    listAll: db.prepare<[number]>(`${select} WHERE ${live}`).raw(),
    listFrom: db.prepare<[string, number]>(`${select} WHERE key >= ? AND ${live}`).raw(),
    listRange: db
      .prepare<[string, string, number]>(`${select} WHERE key >= ? AND key < ? AND ${live}`)
      .raw(),
    upsert: db.prepare<[string, string, number | null]>(
      `INSERT INTO ${t} (key, value, expires_at) VALUES (?, ?, ?) ` +
        'ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at',
    ),
    replaceValue: db.prepare<[string, string]>(`UPDATE ${t} SET value = ? WHERE key = ?`),
    remove: db.prepare<[string]>(`DELETE FROM ${t} WHERE key = ?`),
    clearAll: db.prepare<[]>(`DELETE FROM ${t}`),
    clearFrom: db.prepare<[string]>(`DELETE FROM ${t} WHERE key >= ?`),
    clearRange: db.prepare<[string, string]>(`DELETE FROM ${t} WHERE key >= ? AND key < ?`),
    purge: db.prepare<[number]>(`DELETE FROM ${t} WHERE expires_at <= ?`),
  };
}

/**
 * Every write starts the same way inside its IMMEDIATE transaction: when the earliest
 * expiry in the table has passed, delete what has expired by `now` (the meta triggers
 * adjust the counts), so the stats read next — and the rows the write looks at — are
 * exactly the unexpired entries. Checking the earliest expiry first (an index seek, folded
 * into the probe for single-key writes) keeps the common case to two statements: probe
 * and write.
 */
function createTransactions(db: SqliteDatabase, s: Statements, metaKey: string): Transactions {
  const isDue = (nextExpiry: unknown, now: number) =>
    typeof nextExpiry === 'number' && nextExpiry <= now;
  const purgeIfDue = (now: number): void => {
    if (isDue(s.nextExpiry.get(), now)) s.purge.run(now);
  };
  const readProbe = (key: string): ProbeRow => {
    let row = s.probe.get(key, metaKey) as ProbeRow | undefined;
    if (row === undefined) {
      // Someone removed the meta row; count once and carry on.
      s.recount.run(metaKey);
      row = s.probe.get(key, metaKey) as ProbeRow;
    }
    return row;
  };
  /** The stats and the key's unexpired row, after purging what is due. */
  const probe = (now: number, key: string): ProbeRow => {
    const row = readProbe(key);
    if (!isDue(row[2], now)) return row;
    s.purge.run(now);
    return readProbe(key);
  };
  const stats = (): KvStoreStats => {
    let row = s.stats.get(metaKey) as [number, number] | undefined;
    if (row === undefined) {
      s.recount.run(metaKey);
      row = s.stats.get(metaKey) as [number, number];
    }
    return { entries: row[0], size: row[1] };
  };
  /**
   * Store `record`; `storedExpiry` is the expiry of the row being replaced (`undefined`:
   * no row). Rewriting an expiry column, even to the same value, rewrites its index entry
   * too, so a replacement that keeps the expiry — most sets, every incr and merge — only
   * touches the value.
   */
  const write = (key: string, record: KvRecord, storedExpiry: unknown): void => {
    const expiresAt = record.expiresAt ?? null;
    if (storedExpiry !== undefined && storedExpiry === expiresAt)
      s.replaceValue.run(record.value, key);
    else s.upsert.run(key, record.value, expiresAt);
  };
  return {
    getMany: db.transaction((now: number, keys: readonly string[]) => {
      const out = new Map<string, KvRecord>();
      for (const key of keys) {
        const row = s.get.get(key, now) as RecordRow | undefined;
        if (row !== undefined) out.set(key, toRecord(row));
      }
      return out;
    }),
    set: db.transaction((now: number, key: string, record: KvRecord, limits: KvLimits) => {
      const [entries, size, , , storedExpiry, before] = probe(now, key);
      checkKvLimits({ entries, size }, sizeDelta(key, before ?? undefined, record), limits);
      write(key, record, before === null ? undefined : storedExpiry);
    }),
    setMany: db.transaction(
      (now: number, batch: ReadonlyMap<string, KvRecord>, limits: KvLimits) => {
        purgeIfDue(now);
        let entries = 0;
        let size = 0;
        const stored = new Map<string, unknown>();
        for (const [key, record] of batch) {
          const row = s.storedRow.get(key) as [size: number, expiresAt: unknown] | undefined;
          if (row !== undefined) stored.set(key, row[1]);
          const d = sizeDelta(key, row?.[0], record);
          entries += d.entries;
          size += d.size;
        }
        checkKvLimits(stats(), { entries, size }, limits);
        for (const [key, record] of batch) write(key, record, stored.get(key));
      },
    ),
    delete: db.transaction((now: number, key: string) => {
      purgeIfDue(now);
      return s.remove.run(key).changes > 0;
    }),
    deleteMany: db.transaction((now: number, keys: readonly string[]) => {
      purgeIfDue(now);
      let removed = 0;
      for (const key of keys) removed += s.remove.run(key).changes;
      return removed;
    }),
    clear: db.transaction((now: number, prefix: string) => {
      // Expired rows go first, so what is left under the prefix is exactly what list() shows.
      purgeIfDue(now);
      const bound = prefixUpperBound(prefix);
      const result =
        prefix === ''
          ? s.clearAll.run()
          : bound === undefined
            ? s.clearFrom.run(prefix)
            : s.clearRange.run(prefix, bound);
      return result.changes;
    }),
    update: db.transaction(
      (
        now: number,
        key: string,
        fn: (current: KvRecord | undefined) => KvUpdate<unknown>,
        limits: KvLimits,
      ) => {
        const [entries, size, , value, expiresAt] = probe(now, key);
        const current = value === null ? undefined : toRecord([value, expiresAt]);
        const decision = fn(current);
        if (decision.write !== undefined) {
          checkKvLimits({ entries, size }, kvRecordDelta(key, current, decision.write), limits);
          write(key, decision.write, current === undefined ? undefined : expiresAt);
        } else if (decision.delete === true && current !== undefined) {
          s.remove.run(key);
        }
        return decision.result;
      },
    ),
  };
}

/** How writing `after` over a row of `beforeSize` bytes (absent: `undefined`) changes the stats. */
function sizeDelta(
  key: string,
  beforeSize: number | undefined,
  after: KvRecord,
): { entries: number; size: number } {
  const afterSize = kvEntrySize(key, after);
  return beforeSize === undefined
    ? { entries: 1, size: afterSize }
    : { entries: 0, size: afterSize - beforeSize };
}

/** A stored row as a record, refusing cells core could not have written. */
function toRecord([value, expiresAt]: RecordRow): KvRecord {
  if (typeof value !== 'string') {
    throw kvError('KV_CORRUPT_STORE', `a stored value is not text (it is ${describeCell(value)})`);
  }
  if (expiresAt === null) return { value, expiresAt: undefined };
  if (typeof expiresAt !== 'number' || Number.isNaN(expiresAt)) {
    throw kvError(
      'KV_CORRUPT_STORE',
      `a stored expiry is not a number (it is ${describeCell(expiresAt)})`,
    );
  }
  return { value, expiresAt };
}

function describeCell(cell: unknown): string {
  if (cell === null) return 'NULL';
  if (Buffer.isBuffer(cell)) return 'a BLOB';
  return `a ${typeof cell}`;
}
