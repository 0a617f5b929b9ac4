import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RillError } from '@rillkit/core';
import { describe, expect, it } from 'vitest';
import { createSqliteKvExtension } from '../src/index.js';
import { mapSqliteError } from '../src/map-error.js';
import { call, dict, failsWith, tempDir } from './helpers.js';

describe('corrupt data', () => {
  it('a value cell that is not JSON, or not text, is KV_CORRUPT_STORE and is never overwritten by an update', async () => {
    const file = join(tempDir(), 'kv.db');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } } });
    await call(kv, 'setMany', 'm', dict(['json', 1], ['blob', 2], ['expiry', 3], ['fine', 4]));
    const db = new Database(file);
    db.prepare("UPDATE kv_m SET value = '{\"broken' WHERE key = 'json'").run();
    db.prepare("UPDATE kv_m SET value = X'00ff' WHERE key = 'blob'").run();
    db.prepare("UPDATE kv_m SET expires_at = 'soon' WHERE key = 'expiry'").run();
    for (const key of ['json', 'blob', 'expiry']) {
      for (const [fn, ...args] of [
        ['get'],
        ['incr'],
        ['merge', dict(['a', 1])],
        ['cas', 1, 2],
      ] as const) {
        const err = await failsWith('KV_CORRUPT_STORE', call(kv, fn, 'm', key, ...args));
        expect(err.details['mount']).toBe('m');
      }
    }
    await failsWith('KV_CORRUPT_STORE', call(kv, 'getAll', 'm'));
    await failsWith('KV_CORRUPT_STORE', call(kv, 'getMany', 'm', ['fine', 'blob']));
    // Nothing was half-written: the cells are as they were, the rest still works.
    expect(db.prepare("SELECT value FROM kv_m WHERE key = 'json'").pluck().get()).toBe('{"broken');
    expect(await call(kv, 'get', 'm', 'fine')).toBe(4);
    expect(await call(kv, 'incr', 'm', 'fine')).toBe(5);
    // Overwriting a corrupt cell with set (no read involved) repairs it.
    await call(kv, 'set', 'm', 'json', 'ok');
    expect(await call(kv, 'get', 'm', 'json')).toBe('ok');
    db.close();
    await kv.dispose();
  });

  it('a file that is not a SQLite database is KV_CORRUPT_STORE and is left untouched', async () => {
    const file = join(tempDir(), 'kv.db');
    const junk = 'this is not a database '.repeat(200);
    writeFileSync(file, junk);
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } } });
    const err = await failsWith('KV_CORRUPT_STORE', call(kv, 'get', 'm', 'k'));
    expect(err.details['sqliteCode']).toBe('SQLITE_NOTADB');
    expect(err.cause).toBeInstanceOf(Error);
    await failsWith('KV_CORRUPT_STORE', call(kv, 'set', 'm', 'k', 1));
    await kv.dispose();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(file, 'utf8')).toBe(junk);
  });
});

describe('locks', () => {
  it('a write lock held past the busy timeout is KV_BACKEND_UNAVAILABLE; reads go on; it recovers', async () => {
    const file = join(tempDir(), 'kv.db');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } }, busyTimeout: 150 });
    await call(kv, 'set', 'm', 'k', 1);
    const holder = new Database(file);
    holder.exec('BEGIN EXCLUSIVE');
    holder.prepare("INSERT INTO kv_m (key, value) VALUES ('other', '1')").run();
    const started = Date.now();
    const err = await failsWith('KV_BACKEND_UNAVAILABLE', call(kv, 'incr', 'm', 'k'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(err.details).toMatchObject({
      mount: 'm',
      key: 'k',
      reason: 'locked',
      sqliteCode: 'SQLITE_BUSY',
    });
    expect(err.cause).toBeInstanceOf(Error);
    for (const write of [
      call(kv, 'set', 'm', 'x', 1),
      call(kv, 'setMany', 'm', dict(['x', 1])),
      call(kv, 'delete', 'm', 'k'),
      call(kv, 'clear', 'm'),
    ]) {
      await failsWith('KV_BACKEND_UNAVAILABLE', write);
    }
    // WAL: readers are not blocked by a writer, and see the last committed state.
    expect(await call(kv, 'get', 'm', 'k')).toBe(1);
    expect(await call(kv, 'keys', 'm')).toEqual(['k']);
    holder.exec('ROLLBACK');
    expect(await call(kv, 'incr', 'm', 'k')).toBe(2);
    holder.close();
    await kv.dispose();
  });

  it('a database held in exclusive locking mode is KV_BACKEND_UNAVAILABLE for the first call, which is retried later', async () => {
    const file = join(tempDir(), 'kv.db');
    const holder = new Database(file);
    holder.pragma('journal_mode = WAL');
    holder.pragma('locking_mode = EXCLUSIVE');
    holder.exec('CREATE TABLE app (x); INSERT INTO app VALUES (1);');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } }, busyTimeout: 100 });
    const err = await failsWith('KV_BACKEND_UNAVAILABLE', call(kv, 'get', 'm', 'k'));
    expect(err.details['reason']).toBe('locked');
    holder.close();
    expect(await call(kv, 'get', 'm', 'k')).toBe('');
    await call(kv, 'set', 'm', 'k', 1);
    expect(await call(kv, 'get', 'm', 'k')).toBe(1);
    await kv.dispose();
  });
});

describe('mapSqliteError', () => {
  const sqlite = (code: string) => Object.assign(new Error(`boom ${code}`), { code });

  it.each([
    ['SQLITE_BUSY', 'KV_BACKEND_UNAVAILABLE'],
    ['SQLITE_BUSY_SNAPSHOT', 'KV_BACKEND_UNAVAILABLE'],
    ['SQLITE_LOCKED', 'KV_BACKEND_UNAVAILABLE'],
    ['SQLITE_CANTOPEN', 'KV_BACKEND_UNAVAILABLE'],
    ['SQLITE_CANTOPEN_ISDIR', 'KV_BACKEND_UNAVAILABLE'],
    ['SQLITE_CORRUPT', 'KV_CORRUPT_STORE'],
    ['SQLITE_CORRUPT_INDEX', 'KV_CORRUPT_STORE'],
    ['SQLITE_NOTADB', 'KV_CORRUPT_STORE'],
    ['SQLITE_FULL', 'KV_BACKEND_FAILURE'],
    ['SQLITE_IOERR_FSYNC', 'KV_BACKEND_FAILURE'],
    ['SQLITE_READONLY', 'KV_BACKEND_FAILURE'],
    ['SQLITE_ERROR', 'KV_BACKEND_FAILURE'],
  ])('%s -> %s, keeping the cause', (sqliteCode, code) => {
    const original = sqlite(sqliteCode);
    const mapped = mapSqliteError(original);
    expect(mapped.code).toBe(code);
    expect(mapped.details['sqliteCode']).toBe(sqliteCode);
    expect(mapped.cause).toBe(original);
  });

  it('passes rill errors through and maps anything else to KV_BACKEND_FAILURE', () => {
    const rill = new RillError('KV_TOO_MANY_ENTRIES', 'full');
    expect(mapSqliteError(rill)).toBe(rill);
    const other = new TypeError('odd');
    const mapped = mapSqliteError(other);
    expect(mapped.code).toBe('KV_BACKEND_FAILURE');
    expect(mapped.cause).toBe(other);
  });
});
