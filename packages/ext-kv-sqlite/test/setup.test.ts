import { existsSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SQLITE_KV_META_TABLE, createSqliteKvExtension } from '../src/index.js';
import { SqliteConnection } from '../src/sqlite-connection.js';
import { call, dict, failsWith, tempDir } from './helpers.js';

/** Open file descriptors of this process that point at `file`; `undefined` without /proc. */
function openHandles(file: string): number | undefined {
  if (!existsSync('/proc/self/fd')) return undefined;
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === file;
    } catch {
      return false;
    }
  }).length;
}

describe('connections and files', () => {
  it('runs the host example from the issue: two databases, a declared and an open mount', async () => {
    const dir = tempDir();
    const mounts = {
      user: {
        mode: 'read-write' as const,
        database: join(dir, 'app.db'),
        table: 'user_state',
        schema: {
          name: { type: 'string' as const, default: '' },
          count: { type: 'number' as const, default: 0 },
        },
      },
      cache: {
        mode: 'read-write' as const,
        database: join(dir, 'cache.db'),
        table: 'cache_entries',
      },
    };
    const kv = createSqliteKvExtension({ mounts });
    await call(kv, 'set', 'user', 'name', 'Alice');
    expect(await call(kv, 'incr', 'user', 'count', 2)).toBe(2);
    await call(kv, 'set', 'cache', 'page:/', dict(['html', '<p>']));
    await kv.dispose();

    const again = createSqliteKvExtension({ mounts });
    expect(await call(again, 'getAll', 'user')).toEqual(dict(['count', 2], ['name', 'Alice']));
    expect(await call(again, 'get', 'cache', 'page:/')).toEqual(dict(['html', '<p>']));
    await again.dispose();

    const app = new Database(join(dir, 'app.db'), { readonly: true });
    expect(app.prepare('SELECT key, value FROM user_state ORDER BY key').all()).toEqual([
      { key: 'count', value: '2' },
      { key: 'name', value: '"Alice"' },
    ]);
    app.close();
  });

  it('puts every database in WAL mode and applies the synchronous level', async () => {
    const dir = tempDir();
    const file = join(dir, 'kv.db');
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } } });
    await call(kv, 'set', 'm', 'k', 1);
    const probe = new Database(file);
    expect(probe.pragma('journal_mode', { simple: true })).toBe('wal');
    probe.close();
    await kv.dispose();

    for (const [level, expected] of [
      ['full', 2],
      ['normal', 1],
    ] as const) {
      const connection = new SqliteConnection(file, { busyTimeout: 1234, synchronous: level });
      const db = connection.database();
      expect(db.pragma('synchronous', { simple: true })).toBe(expected);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
      connection.close();
    }
  });

  it('shares one connection between the mounts of one file and closes it on dispose', async () => {
    const dir = tempDir();
    const file = join(dir, 'shared.db');
    const kv = createSqliteKvExtension({
      mounts: {
        a: { database: file },
        b: { database: file },
        c: { database: file, table: 'other' },
      },
    });
    // Nothing is opened before the first call.
    expect(openHandles(file)).toBeOneOf([0, undefined]);
    await call(kv, 'set', 'a', 'k', 'from a');
    await call(kv, 'set', 'b', 'k', 'from b');
    await call(kv, 'set', 'c', 'k', 'from c');
    expect(openHandles(file)).toBeOneOf([1, undefined]);
    expect(await call(kv, 'get', 'a', 'k')).toBe('from a');
    expect(await call(kv, 'get', 'b', 'k')).toBe('from b');
    const db = new Database(file, { readonly: true });
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    db.close();
    expect(tables).toEqual(['kv_a', 'kv_b', 'other', SQLITE_KV_META_TABLE]);
    await Promise.all([kv.dispose(), kv.dispose()]);
    await kv.dispose();
    expect(openHandles(file)).toBeOneOf([0, undefined]);
    // The last connection closing checkpoints the WAL into the file and removes it.
    expect(existsSync(`${file}-wal`)).toBe(false);
    await failsWith('KV_BACKEND_UNAVAILABLE', call(kv, 'get', 'a', 'k'));
  });

  it('treats two spellings of one file as one database', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const err = await failsWith('KV_INVALID_CONFIG', () =>
      createSqliteKvExtension({
        mounts: {
          a: { database: join(dir, 'real', 'kv.db') },
          b: { database: join(dir, 'link', '..', 'link', 'kv.db'), table: 'KV_A' },
        },
      }),
    );
    expect(err.details['field']).toBe('mounts.b.table');
  });

  it('keeps data across reopening, in the same tables', async () => {
    const dir = tempDir();
    const file = join(dir, 'kv.db');
    const first = createSqliteKvExtension({ mounts: { m: { database: file, ttl: 3600 } } });
    await call(first, 'setMany', 'm', dict(['a', 1], ['b', dict(['x', 'y'])]));
    await first.dispose();
    const second = createSqliteKvExtension({ mounts: { m: { database: file } } });
    expect(await call(second, 'getAll', 'm')).toEqual(dict(['a', 1], ['b', dict(['x', 'y'])]));
    await second.dispose();
  });
});
