import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KvRecord } from '@rillkit/core';
import { JsonKvBackend, MemoryKvBackend, createKvExtension } from '../../src/ext/kv/index.js';
import { call, readStore, tempDir } from './helpers.js';

const rec = (value: string, expiresAt?: number): KvRecord => ({ value, expiresAt });
const limits = { maxEntries: 100, maxStoreSize: 10_000 };

const schema = {
  name: { type: 'string' as const, default: 'anon' },
  visits: { type: 'number' as const },
  prefs: { type: 'dict' as const },
};

describe('kv backends: deleteMany', () => {
  it('memory: removes the listed keys that exist, counts each once, skips expired ones', async () => {
    let now = 0;
    const b = new MemoryKvBackend(() => now);
    await b.setMany(
      [
        ['a', rec('1')],
        ['b', rec('2')],
        ['c', rec('3', 500)],
        ['keep', rec('4')],
      ],
      limits,
    );
    now = 1000;
    expect(await b.deleteMany(['a', 'b', 'a', 'c', 'missing'])).toBe(2);
    expect((await b.list('')).map(([k]) => k)).toEqual(['keep']);
    expect(await b.deleteMany([])).toBe(0);
    // The freed entries count toward limits again.
    await b.setMany(
      [
        ['x', rec('1')],
        ['y', rec('1')],
      ],
      { maxEntries: 3, maxStoreSize: 10_000 },
    );
  });

  it('json: removes the keys in one file write and leaves the others', async () => {
    const file = join(tempDir(), 'store.json');
    const b = new JsonKvBackend({ file, writePolicy: 'immediate', now: () => 0 });
    await b.setMany(
      [
        ['a', rec('1')],
        ['b', rec('2')],
        ['keep', rec('3')],
      ],
      limits,
    );
    expect(readStore(file).revision).toBe(1);
    expect(await b.deleteMany(['a', 'b', 'missing'])).toBe(2);
    expect(readStore(file)).toMatchObject({ revision: 2, values: { keep: 3 } });
    expect(Object.keys(readStore(file).values)).toEqual(['keep']);
    // Nothing to remove: the file is not rewritten.
    expect(await b.deleteMany(['a', 'missing'])).toBe(0);
    expect(readStore(file).revision).toBe(2);
    await b.flush();
    await b.close();
  });
});

describe('kv declared-mode clear keeps data the schema does not declare', () => {
  for (const writePolicy of ['immediate', 'dispose'] as const) {
    it(`json (${writePolicy}): resets declared keys, keeps undeclared stored keys`, async () => {
      const file = join(tempDir(), 'store.json');
      const open = createKvExtension({ mounts: { s: { store: file } } });
      await call(open, 'setMany', 's', { name: 'Zoe', visits: 4, old: 1, 'prefs-v1': 'x' });
      await open.dispose();

      const declared = createKvExtension({ mounts: { s: { store: file, schema, writePolicy } } });
      expect(await call(declared, 'keys', 's', 'p')).toEqual(['prefs']);
      expect(await call(declared, 'clear', 's', 'p')).toBe(1);
      expect(await call(declared, 'clear', 's')).toBe(3);
      expect(await call(declared, 'getAll', 's')).toEqual({ name: 'anon', prefs: {}, visits: 0 });
      await declared.dispose();

      expect(readStore(file).values).toEqual({ old: 1, 'prefs-v1': 'x' });
    });
  }

  it('memory: the same, through the backend a declared mount uses', async () => {
    const kv = createKvExtension({ mounts: { s: { store: ':memory:', schema } } });
    await call(kv, 'set', 's', 'visits', 7);
    expect(await call(kv, 'clear', 's', 'v')).toBe(1);
    expect(await call(kv, 'get', 's', 'visits')).toBe(0);
    expect(await call(kv, 'clear', 's', 'zzz')).toBe(0);
    await kv.dispose();
  });
});
