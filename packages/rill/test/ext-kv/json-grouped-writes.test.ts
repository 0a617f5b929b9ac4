import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { call, readStore, run, tempDir } from './helpers.js';

describe('json kv: immediate writes are grouped', () => {
  it('100 concurrent sets cost far fewer file writes and all persist', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(kv, 'set', 's', `k${i}`, i)),
    );
    expect(results.every((r) => r === true)).toBe(true);
    // Every file write bumps the revision once: the first write goes alone, the other 99 queue behind it.
    const { revision, values } = readStore(file);
    expect(revision).toBeLessThanOrEqual(3);
    expect(Object.keys(values)).toHaveLength(100);
    await kv.dispose();
  });

  it('each write is on disk when its call resolves', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    for (let i = 0; i < 5; i++) {
      await call(kv, 'incr', 's', 'n');
      expect(readStore(file).values['n']).toBe(i + 1);
    }
    await kv.dispose();
  });

  it('50 concurrent incr through map in one script count exactly, in few writes', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    const out = await run(kv, 'range(0, 50) -> map { kv::incr("s", "hits") } -> .len');
    expect(out).toBe(50);
    expect(readStore(file).values['hits']).toBe(50);
    expect(readStore(file).revision).toBeLessThan(50);
    await kv.dispose();
  });

  it('a failing write in a batch rejects alone; the others are written', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file, maxEntries: 3 } } });
    const settled = await Promise.allSettled([
      call(kv, 'set', 's', 'a', 1),
      call(kv, 'set', 's', 'b', 1),
      call(kv, 'set', 's', 'c', 1),
      call(kv, 'set', 's', 'd', 1),
      call(kv, 'set', 's', 'a', 2),
      call(kv, 'add', 's', 'b', 9),
      call(kv, 'cas', 's', 'c', 1, 'swapped'),
    ]);
    expect(settled.map((s) => s.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
      'fulfilled',
    ]);
    expect(settled[3]).toMatchObject({ reason: { code: 'KV_TOO_MANY_ENTRIES' } });
    expect(settled[5]).toMatchObject({ value: false });
    expect(readStore(file).values).toEqual({ a: 2, b: 1, c: 'swapped' });
    await kv.dispose();
  });

  it('cas contention: exactly one of 20 concurrent swaps from one expected value wins', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    await call(kv, 'set', 's', 'v', 0);
    const wins = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(kv, 'cas', 's', 'v', 0, i + 1)),
    );
    expect(wins.filter(Boolean)).toHaveLength(1);
    const adds = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(kv, 'add', 's', 'once', i)),
    );
    expect(adds.filter(Boolean)).toHaveLength(1);
    await kv.dispose();
  });
});
