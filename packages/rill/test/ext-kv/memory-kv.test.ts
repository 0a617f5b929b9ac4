import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { call, run } from './helpers.js';

describe('memory kv', () => {
  it('keeps mounts apart and forgets everything with the extension', async () => {
    const first = createKvExtension({
      mounts: { a: { store: ':memory:' }, b: { store: ':memory:' } },
    });
    await call(first, 'set', 'a', 'k', 1);
    expect(await call(first, 'has', 'b', 'k')).toBe(false);
    await first.dispose();
    const second = createKvExtension({ mounts: { a: { store: ':memory:' } } });
    expect(await call(second, 'keys', 'a')).toEqual([]);
    await second.dispose();
  });

  it('50 concurrent incr (map in a script, and separate executes) count exactly', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:' } } });
    expect(await run(kv, 'range(0, 50) -> map { kv::incr("m", "n") } -> .len')).toBe(50);
    await Promise.all(Array.from({ length: 50 }, () => run(kv, 'kv::incr("m", "n")')));
    expect(await call(kv, 'get', 'm', 'n')).toBe(100);
    await kv.dispose();
  });

  it('expires entries by the extension clock', async () => {
    let now = 0;
    const kv = createKvExtension({ mounts: { m: { store: ':memory:', ttl: 1 } }, now: () => now });
    await call(kv, 'set', 'm', 'a', 1);
    await call(kv, 'set', 'm', 'b', 1, { ttl: 5 });
    now = 1000;
    expect(await call(kv, 'keys', 'm')).toEqual(['b']);
    now = 5000;
    expect(await call(kv, 'getAll', 'm')).toEqual({});
    await kv.dispose();
  });

  it('setMany past maxStoreSize writes nothing', async () => {
    const kv = createKvExtension({ mounts: { m: { store: ':memory:', maxStoreSize: 20 } } });
    await call(kv, 'set', 'm', 'a', 'x');
    await expect(call(kv, 'setMany', 'm', { b: 'y', c: 'z'.repeat(20) })).rejects.toMatchObject({
      code: 'KV_STORE_TOO_LARGE',
    });
    expect(await call(kv, 'keys', 'm')).toEqual(['a']);
    await kv.dispose();
  });
});
