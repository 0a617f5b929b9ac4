import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteKvExtension } from '../src/index.js';
import { call, failsWith, tempDir } from './helpers.js';

describe('configuration', () => {
  it('derives the table from the mount name', async () => {
    const dir = tempDir();
    const file = join(dir, 'kv.db');
    const kv = createSqliteKvExtension({
      mounts: { user: { database: file }, 'page.views-2': { database: file } },
    });
    await call(kv, 'set', 'user', 'k', 1);
    await call(kv, 'set', 'page.views-2', 'k', 2);
    await kv.dispose();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT value FROM kv_user').pluck().get()).toBe('1');
    expect(db.prepare('SELECT value FROM kv_page_views_2').pluck().get()).toBe('2');
    db.close();
  });

  it.each([
    [''],
    ['1table'],
    ['a-b'],
    ['a b'],
    ['a.b'],
    ['x"; DROP TABLE t; --'],
    ['t;'],
    ['ümlaut'],
    ['sqlite_master'],
    ['SQLite_things'],
    ['rillkit_kv_meta'],
    ['RILLKIT_KV_META'],
    ['t'.repeat(129)],
    [5],
    [null],
  ])('rejects the table name %j with KV_INVALID_CONFIG', async (table) => {
    const dir = tempDir();
    const err = await failsWith('KV_INVALID_CONFIG', () =>
      createSqliteKvExtension({
        mounts: { m: { database: join(dir, 'kv.db'), table: table as string } },
      }),
    );
    expect(err.details['field']).toBe('mounts.m.table');
  });

  it.each([['user_state'], ['_x'], ['A1'], ['t'.repeat(128)]])(
    'accepts the table name %j',
    async (table) => {
      const dir = tempDir();
      const kv = createSqliteKvExtension({
        mounts: { m: { database: join(dir, 'kv.db'), table } },
      });
      await call(kv, 'set', 'm', 'k', 1);
      expect(await call(kv, 'get', 'm', 'k')).toBe(1);
      await kv.dispose();
    },
  );

  it('refuses two mounts on one table of one file, also through derived names or case', async () => {
    const dir = tempDir();
    const database = join(dir, 'kv.db');
    for (const mounts of [
      { 'a.b': { database }, 'a-b': { database } },
      { x: { database, table: 'Users' }, y: { database, table: 'users' } },
      { user: { database }, other: { database, table: 'kv_user' } },
    ]) {
      const err = await failsWith('KV_INVALID_CONFIG', () => createSqliteKvExtension({ mounts }));
      expect(String(err.details['field'])).toMatch(/^mounts\.[^.]+(\.[^.]+)?\.table$/);
    }
    // The same table name in two files is fine.
    const kv = createSqliteKvExtension({
      mounts: { a: { database, table: 't' }, b: { database: join(dir, 'other.db'), table: 't' } },
    });
    await call(kv, 'set', 'a', 'k', 'a');
    await call(kv, 'set', 'b', 'k', 'b');
    expect(await call(kv, 'get', 'a', 'k')).toBe('a');
    expect(await call(kv, 'get', 'b', 'k')).toBe('b');
    await kv.dispose();
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['not a string', 42],
    ['memory', ':memory:'],
  ])('rejects a %s database with KV_INVALID_CONFIG', async (_label, database) => {
    const err = await failsWith('KV_INVALID_CONFIG', () =>
      createSqliteKvExtension({ mounts: { m: { database: database as string } } }),
    );
    expect(err.details['field']).toBe('mounts.m.database');
  });

  it('rejects a database whose folder does not exist, or that is a folder, naming no path', async () => {
    const dir = tempDir();
    for (const database of [join(dir, 'missing', 'kv.db'), dir]) {
      const err = await failsWith('KV_INVALID_CONFIG', () =>
        createSqliteKvExtension({ mounts: { m: { database } } }),
      );
      expect(err.details['field']).toBe('mounts.m.database');
      expect(err.message).not.toContain(dir);
    }
  });

  it('rejects writePolicy dispose, unknown options and bad top-level settings', async () => {
    const database = join(tempDir(), 'kv.db');
    const cases: [string, () => unknown][] = [
      [
        'mounts.m.writePolicy',
        () => createSqliteKvExtension({ mounts: { m: { database, writePolicy: 'dispose' } } }),
      ],
      [
        'mounts.m.file',
        () =>
          createSqliteKvExtension({
            mounts: { m: { database, file: 'x' } as unknown as { database: string } },
          }),
      ],
      ['busyTimeout', () => createSqliteKvExtension({ mounts: {}, busyTimeout: -1 })],
      ['busyTimeout', () => createSqliteKvExtension({ mounts: {}, busyTimeout: 1.5 })],
      ['busyTimeout', () => createSqliteKvExtension({ mounts: {}, busyTimeout: '5s' as never })],
      ['synchronous', () => createSqliteKvExtension({ mounts: {}, synchronous: 'OFF' as never })],
      [
        'url',
        () =>
          createSqliteKvExtension({ mounts: {}, url: 'x' } as unknown as Parameters<
            typeof createSqliteKvExtension
          >[0]),
      ],
    ];
    for (const [field, create] of cases) {
      const err = await failsWith('KV_INVALID_CONFIG', create);
      expect(String(err.details['field'] ?? err.message)).toContain(field);
    }
  });

  it('refuses a table that exists and is not a kv table, without touching it', async () => {
    const dir = tempDir();
    const file = join(dir, 'app.db');
    const app = new Database(file);
    app.exec(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'a');",
    );
    app.exec('CREATE VIEW user_names AS SELECT name FROM users');
    const kv = createSqliteKvExtension({
      mounts: { m: { database: file, table: 'users' }, v: { database: file, table: 'user_names' } },
    });
    for (const mount of ['m', 'v']) {
      const err = await failsWith('KV_INVALID_CONFIG', call(kv, 'get', mount, 'k'));
      expect(err.details['field']).toBe(`mounts.${mount}.table`);
      expect(err.details['mount']).toBe(mount);
    }
    await kv.dispose();
    expect(app.prepare('SELECT * FROM users').all()).toEqual([{ id: 1, name: 'a' }]);
    app.close();
  });

  it('reports a folder removed before the first call as KV_BACKEND_UNAVAILABLE, then recovers', async () => {
    const dir = tempDir();
    const folder = join(dir, 'data');
    mkdirSync(folder);
    const kv = createSqliteKvExtension({ mounts: { m: { database: join(folder, 'kv.db') } } });
    rmSync(folder, { recursive: true });
    const err = await failsWith('KV_BACKEND_UNAVAILABLE', call(kv, 'set', 'm', 'k', 1));
    expect(err.details['mount']).toBe('m');
    expect(err.message).not.toContain(dir);
    mkdirSync(folder);
    await call(kv, 'set', 'm', 'k', 1);
    expect(await call(kv, 'get', 'm', 'k')).toBe(1);
    await kv.dispose();
  });
});
