import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { call, configError, failure, run, tempDir } from './helpers.js';

describe('createKvExtension config', () => {
  it('rejects bad options up front, naming the field', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'folder.json'));
    writeFileSync(join(dir, 'file'), '');
    const cases: [unknown, string][] = [
      [undefined, 'options'],
      [{ mounts: {}, colour: 1 }, 'colour'],
      [{ mounts: { a: {} } }, 'mounts.a.store'],
      [{ mounts: { a: { store: '' } } }, 'mounts.a.store'],
      [{ mounts: { a: { store: 42 } } }, 'mounts.a.store'],
      [{ mounts: { a: { store: join(dir, 'missing', 'a.json') } } }, 'mounts.a.store'],
      [{ mounts: { a: { store: join(dir, 'file', 'a.json') } } }, 'mounts.a.store'],
      [{ mounts: { a: { store: join(dir, 'folder.json') } } }, 'mounts.a.store'],
      [
        { mounts: { a: { store: join(dir, 'x.json') }, b: { store: join(dir, '.', 'x.json') } } },
        'mounts.b.store',
      ],
      [{ mounts: { a: { store: ':memory:', path: '/tmp' } } }, 'mounts.a.path'],
      [{ mounts: { a: { store: ':memory:', ttl: -1 } } }, 'mounts.a.ttl'],
      [{ mounts: { a: { store: ':memory:' } }, namespace: 'bad name' }, 'namespace'],
      [{ mounts: { a: { store: ':memory:' } }, now: 'today' }, 'now'],
    ];
    for (const [options, field] of cases) {
      const error = configError(options);
      expect(error.code, field).toBe('KV_INVALID_CONFIG');
      expect(error.details['field'], JSON.stringify(options)).toBe(field);
    }
  });

  it('recognises one file reached through a symlinked folder', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    const error = configError({
      mounts: {
        a: { store: join(dir, 'real', 's.json') },
        b: { store: join(dir, 'alias', 's.json') },
      },
    });
    expect(error.details['field']).toBe('mounts.b.store');
  });

  it('picks the backend per mount from store and shows it in mounts()', async () => {
    const dir = tempDir();
    const kv = createKvExtension({
      mounts: {
        user: { store: join(dir, 'user.json') },
        cache: { store: ':memory:', ttl: 30, writePolicy: 'dispose' },
        prefs: {
          store: join(dir, 'prefs.json'),
          mode: 'read',
          schema: { theme: { type: 'string', default: 'dark' } },
        },
      },
    });
    const mounts = (await run(kv, 'kv::mounts()')) as Record<string, unknown>[];
    expect(
      mounts.map((m) => [
        m['name'],
        m['backend'],
        m['writePolicy'],
        m['ttl'],
        m['declared'],
        m['mode'],
      ]),
    ).toEqual([
      ['user', 'json', 'immediate', 0, false, 'read-write'],
      ['cache', 'memory', 'dispose', 30, false, 'read-write'],
      ['prefs', 'json', 'immediate', 0, true, 'read'],
    ]);
    expect(JSON.stringify(mounts)).not.toContain(dir);
    expect(await run(kv, 'kv::get("prefs", "theme")')).toBe('dark');
    await kv.dispose();
  });

  it('a namespace mounts a second extension beside the first', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:' } } });
    const cache = createKvExtension({ namespace: 'cache', mounts: { m: { store: ':memory:' } } });
    const functions = { ...kv.functions, ...cache.functions };
    expect(
      await run(
        { functions, dispose: async () => {} },
        'kv::set("m", "a", 1)\ncache::set("m", "a", 2)\n[kv::get("m", "a"), cache::get("m", "a")]',
      ),
    ).toEqual([1, 2]);
    await kv.dispose();
    await cache.dispose();
  });

  it('script errors carry KV codes with the mount and key', async () => {
    const kv = createKvExtension({ mounts: { m: { store: join(tempDir(), 'm.json') } } });
    const error = await failure(run(kv, 'kv::set("m", "word", "x")\nkv::incr("m", "word")'));
    expect(error.code).toBe('KV_NOT_A_NUMBER');
    expect(error.details).toMatchObject({ mount: 'm', key: 'word' });
    expect(error.span?.start.line).toBe(2);
    expect((await failure(run(kv, 'kv::get("nope", "k")'))).code).toBe('KV_UNKNOWN_MOUNT');
    expect((await failure(call(kv, 'get', 'm', ''))).code).toBe('KV_INVALID_KEY');
    await kv.dispose();
  });
});
