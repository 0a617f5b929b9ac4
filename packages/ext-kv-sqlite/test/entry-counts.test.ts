import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_KV_META_TABLE, createSqliteKvExtension } from '../src/index.js';
import { call, dict, failsWith, tempDir } from './helpers.js';

/** The meta row next to what a full scan of the table says. */
function counts(file: string, table: string) {
  const db = new Database(file, { readonly: true });
  const meta = db
    .prepare(`SELECT entries, bytes FROM ${SQLITE_KV_META_TABLE} WHERE kv_table = ?`)
    .get(table);
  const scan = db
    .prepare(
      `SELECT count(*) AS entries, coalesce(sum(length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))), 0) AS bytes FROM ${table}`,
    )
    .get();
  db.close();
  return { meta, scan };
}

describe('entry counting', () => {
  it('keeps the meta row equal to the table through every kind of write and purge', async () => {
    let now = 1_000_000;
    const file = join(tempDir(), 'kv.db');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } }, now: () => now });
    const check = () => {
      const { meta, scan } = counts(file, 'kv_m');
      expect(meta).toEqual(scan);
    };
    await call(kv, 'set', 'm', 'é', 'ünïcödé 😀');
    await call(kv, 'setMany', 'm', dict(['a', 1], ['b', 'two'], ['a', 'dup']));
    check();
    await call(kv, 'set', 'm', 'b', 'x'.repeat(500));
    await call(kv, 'incr', 'm', 'n', 5);
    await call(kv, 'merge', 'm', 'd', dict(['f', 1]));
    await call(kv, 'add', 'm', 'e', 1, dict(['ttl', 10]));
    await call(kv, 'set', 'm', 'short', 1, dict(['ttl', 1]));
    check();
    expect(counts(file, 'kv_m').meta).toEqual({ entries: 7, bytes: expect.any(Number) });
    await call(kv, 'delete', 'm', 'a');
    await call(kv, 'cas', 'm', 'n', 5, 6);
    check();
    // Expired rows leave the table (and the counts) with the next write.
    now += 2_000;
    await call(kv, 'set', 'm', 'z', true);
    expect(counts(file, 'kv_m').meta).toEqual({ entries: 6, bytes: expect.any(Number) });
    check();
    now += 20_000;
    expect(await call(kv, 'clear', 'm', 'e')).toBe(0);
    check();
    expect(await call(kv, 'clear', 'm')).toBe(5);
    expect(counts(file, 'kv_m').meta).toEqual({ entries: 0, bytes: 0 });
    await kv.dispose();
  });

  it('counts the store size in UTF-8 bytes of key plus value JSON, like every backend', async () => {
    const file = join(tempDir(), 'kv.db');
    // 'é' (2 bytes) + '"😀"' (6 bytes) = 8 bytes; a second such entry would need 16.
    const kv = createSqliteKvExtension({ mounts: { m: { database: file, maxStoreSize: 15 } } });
    await call(kv, 'set', 'm', 'é', '😀');
    await failsWith('KV_STORE_TOO_LARGE', call(kv, 'set', 'm', 'è', '😀'));
    await call(kv, 'set', 'm', 'è', 'abc'); // 2 + 5 = 7: 15 exactly
    await failsWith('KV_STORE_TOO_LARGE', call(kv, 'set', 'm', 'è', 'abcd'));
    expect(counts(file, 'kv_m').meta).toEqual({ entries: 2, bytes: 15 });
    await kv.dispose();
  });

  it('rebuilds a missing meta row once instead of failing', async () => {
    const file = join(tempDir(), 'kv.db');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file, maxEntries: 3 } } });
    await call(kv, 'setMany', 'm', dict(['a', 1], ['b', 2]));
    const db = new Database(file);
    db.prepare(`DELETE FROM ${SQLITE_KV_META_TABLE}`).run();
    db.close();
    await call(kv, 'set', 'm', 'c', 3);
    await failsWith('KV_TOO_MANY_ENTRIES', call(kv, 'set', 'm', 'd', 4));
    expect(counts(file, 'kv_m').meta).toEqual({ entries: 3, bytes: 6 });
    await kv.dispose();
  });

  it('a table dropped and recreated starts from fresh counts', async () => {
    const file = join(tempDir(), 'kv.db');
    const first = createSqliteKvExtension({ mounts: { m: { database: file } } });
    await call(first, 'setMany', 'm', dict(['a', 1], ['b', 2]));
    await first.dispose();
    const db = new Database(file);
    db.exec('DROP TABLE kv_m');
    db.close();
    const second = createSqliteKvExtension({ mounts: { m: { database: file, maxEntries: 2 } } });
    await call(second, 'setMany', 'm', dict(['x', 1], ['y', 2]));
    expect(counts(file, 'kv_m').meta).toEqual({ entries: 2, bytes: 4 });
    await second.dispose();
  });

  it('limit checks read the meta row, never scan the table', async () => {
    const file = join(tempDir(), 'kv.db');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } } });
    await call(kv, 'set', 'm', 'k', 1);
    await kv.dispose();
    // What a write runs: purge by the expiry index, one key lookup, one meta row.
    const db = new Database(file, { readonly: true });
    const plan = (sql: string, ...args: unknown[]) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...args)
        .map((r) => (r as { detail: string }).detail)
        .join('; ');
    expect(plan('DELETE FROM kv_m WHERE expires_at <= ?', 1)).toMatch(/USING (COVERING )?INDEX/);
    expect(plan('SELECT size FROM kv_m WHERE key = ?', 'k')).toMatch(/USING PRIMARY KEY/);
    expect(
      plan(`SELECT entries, bytes FROM ${SQLITE_KV_META_TABLE} WHERE kv_table = ?`, 'kv_m'),
    ).toMatch(/USING PRIMARY KEY/);
    expect(plan('SELECT key FROM kv_m WHERE key >= ? AND key < ?', 'a', 'b')).toMatch(
      /USING PRIMARY KEY \(key>\? AND key<\?\)/,
    );
    db.close();
  });
});
