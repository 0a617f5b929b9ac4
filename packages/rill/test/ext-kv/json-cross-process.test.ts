import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { assertBuilt, finished, spawnFixture } from './child-process.js';
import { call, readStore, tempDir } from './helpers.js';

describe('json kv: two processes on one store file', () => {
  it(
    '2 processes x 1,000 kv::incr on one key end at exactly 2,000',
    { timeout: 120_000 },
    async () => {
      assertBuilt();
      const file = join(tempDir(), 'shared.json');
      const runs = await Promise.all([
        finished(spawnFixture('incr-worker.mjs', [file, '1000'])),
        finished(spawnFixture('incr-worker.mjs', [file, '1000'])),
      ]);
      for (const r of runs) {
        expect(r.stderr).toBe('');
        expect(r.stdout).toBe('done 1000\n');
        expect(r.code).toBe(0);
      }
      const stored = readStore(file);
      expect(stored.values['counter']).toBe(2000);
      expect(stored.revision).toBe(2000);
      const kv = createKvExtension({ mounts: { s: { store: file } } });
      expect(await call(kv, 'get', 's', 'counter')).toBe(2000);
      await kv.dispose();
    },
  );

  // Two extensions in one process share nothing but the file (separate caches, the same
  // cross-process lock), so they exercise the same paths quickly.
  it('reads see writes made by another store object at once', async () => {
    const file = join(tempDir(), 'shared.json');
    const a = createKvExtension({ mounts: { s: { store: file } } });
    const b = createKvExtension({ mounts: { s: { store: file } } });
    expect(await call(b, 'get', 's', 'x')).toBe('');
    for (let i = 0; i < 20; i++) {
      await call(a, 'set', 's', 'x', i);
      expect(await call(b, 'get', 's', 'x')).toBe(i);
      await call(b, 'set', 's', 'y', i);
      expect(await call(a, 'getAll', 's')).toEqual({ x: i, y: i });
    }
    await call(a, 'delete', 's', 'x');
    expect(await call(b, 'has', 's', 'x')).toBe(false);
    await Promise.all([a.dispose(), b.dispose()]);
  });

  it(
    'concurrent incr, add and cas from two store objects never lose an update',
    { timeout: 30_000 },
    async () => {
      const file = join(tempDir(), 'shared.json');
      const a = createKvExtension({ mounts: { s: { store: file } } });
      const b = createKvExtension({ mounts: { s: { store: file } } });
      const incrs = Array.from({ length: 100 }, (_, i) => call(i % 2 ? a : b, 'incr', 's', 'n'));
      const adds = Array.from({ length: 10 }, (_, i) =>
        call(i % 2 ? a : b, 'add', 's', 'first', i),
      );
      await Promise.all([...incrs, ...adds]);
      expect(await call(a, 'get', 's', 'n')).toBe(100);
      expect(readStore(file).values['n']).toBe(100);
      expect((await Promise.all(adds)).filter(Boolean)).toHaveLength(1);
      await call(a, 'set', 's', 'v', 0);
      const cas = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(i % 2 ? a : b, 'cas', 's', 'v', 0, i + 1)),
      );
      expect(cas.filter(Boolean)).toHaveLength(1);
      await Promise.all([a.dispose(), b.dispose()]);
    },
  );

  it('limits are checked against the latest file, not a stale cache', async () => {
    const file = join(tempDir(), 'shared.json');
    const a = createKvExtension({ mounts: { s: { store: file, maxEntries: 2 } } });
    const b = createKvExtension({ mounts: { s: { store: file, maxEntries: 2 } } });
    await call(a, 'keys', 's');
    await call(b, 'set', 's', 'one', 1);
    await call(b, 'set', 's', 'two', 2);
    await expect(call(a, 'set', 's', 'three', 3)).rejects.toMatchObject({
      code: 'KV_TOO_MANY_ENTRIES',
    });
    await Promise.all([a.dispose(), b.dispose()]);
  });
});
