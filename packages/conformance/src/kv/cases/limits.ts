import type { RillError } from '@rillkit/core';
import { captureError } from '../../harness/capture-error.js';
import { dict } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';

/** UTF-8 bytes of a value's compact JSON, computed independently of core. */
function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

/** §2 limits at the limit and one byte past it; failed writes leave the store unchanged. */
export function limitsCases(reg: KvCaseRegistrar): void {
  reg.test('maxValueSize: exactly the limit is stored, one byte more fails', async (t) => {
    const kv = await t.open({ m: { maxValueSize: 20 } });
    const fits = ['x'.repeat(18), 'é'.repeat(9), 'ab' + '😀'.repeat(4), '"'.repeat(9)];
    for (const v of fits) t.expect(jsonBytes(v)).toBe(20);
    for (const [i, v] of fits.entries()) await kv.expectCall(true, 'set', 'm', `k${i}`, v);
    const before = await kv.snapshot('m');
    // One byte over, counted in UTF-8 bytes of the JSON text (not characters).
    const over = ['x'.repeat(19), 'é'.repeat(9) + 'a', 'abc' + '😀'.repeat(4), '"'.repeat(9) + 'a'];
    for (const v of over) t.expect(jsonBytes(v)).toBe(21);
    for (const v of over) {
      await kv.fails('KV_VALUE_TOO_LARGE', 'set', 'm', 'k0', v);
      await kv.fails('KV_VALUE_TOO_LARGE', 'set', 'm', 'new', v);
      await kv.fails('KV_VALUE_TOO_LARGE', 'add', 'm', 'new', v);
      await kv.fails('KV_VALUE_TOO_LARGE', 'cas', 'm', 'k0', 'x'.repeat(18), v);
      await kv.fails('KV_VALUE_TOO_LARGE', 'setMany', 'm', dict(['ok', 1], ['big', v]));
    }
    t.expect(await kv.snapshot('m')).toBe(before);
  });

  reg.test('maxValueSize applies to the merged dict and to incr results', async (t) => {
    const kv = await t.open({ m: { maxValueSize: 20 }, tiny: { maxValueSize: 1 } });
    await kv.call('set', 'm', 'd', dict(['a', 'x'.repeat(10)]));
    t.expect(jsonBytes({ a: 'x'.repeat(10), b: 1 })).toBe(24);
    await kv.fails('KV_VALUE_TOO_LARGE', 'merge', 'm', 'd', dict(['b', 1]));
    await kv.expectCall(dict(['a', 'x'.repeat(10)]), 'get', 'm', 'd');
    t.expect(jsonBytes({ a: 'x'.repeat(12) })).toBe(20);
    await kv.expectCall(true, 'merge', 'm', 'd', dict(['a', 'x'.repeat(12)]));
    t.expect(jsonBytes({ a: 'x'.repeat(13) })).toBe(21);
    await kv.fails('KV_VALUE_TOO_LARGE', 'merge', 'm', 'new', dict(['a', 'x'.repeat(13)]));
    await kv.expectCall(false, 'has', 'm', 'new');
    // "9" fits in one byte, "10" does not.
    await kv.expectCall(9, 'incr', 'tiny', 'n', 9);
    await kv.fails('KV_VALUE_TOO_LARGE', 'incr', 'tiny', 'n');
    await kv.expectCall(9, 'get', 'tiny', 'n');
  });

  reg.test('maxValueSize defaults to 102,400 bytes', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'set', 'm', 'k', 'x'.repeat(102_398));
    await kv.fails('KV_VALUE_TOO_LARGE', 'set', 'm', 'k', 'x'.repeat(102_399));
    const stored = await kv.call('get', 'm', 'k');
    t.expect((stored as string).length).toBe(102_398);
  });

  reg.test('maxEntries: writes up to the limit, one more new key fails', async (t) => {
    const kv = await t.open({ m: { maxEntries: 3 } });
    for (const key of ['a', 'b', 'c']) await kv.expectCall(true, 'set', 'm', key, 1);
    const before = await kv.snapshot('m');
    await kv.fails('KV_TOO_MANY_ENTRIES', 'set', 'm', 'd', 1);
    await kv.fails('KV_TOO_MANY_ENTRIES', 'add', 'm', 'd', 1);
    await kv.fails('KV_TOO_MANY_ENTRIES', 'incr', 'm', 'd');
    await kv.fails('KV_TOO_MANY_ENTRIES', 'merge', 'm', 'd', dict(['x', 1]));
    await kv.fails('KV_TOO_MANY_ENTRIES', 'setMany', 'm', dict(['a', 2], ['d', 2]));
    t.expect(await kv.snapshot('m')).toBe(before);
    // Replacing existing keys adds no entry.
    await kv.expectCall(true, 'set', 'm', 'a', 'replaced');
    await kv.expectCall(true, 'setMany', 'm', dict(['b', 2], ['c', 2]));
    await kv.expectCall(3, 'incr', 'm', 'b');
    await kv.expectCall(true, 'delete', 'm', 'a');
    await kv.expectCall(true, 'set', 'm', 'd', 1);
    await kv.expectCall(['b', 'c', 'd'], 'keys', 'm');
    await kv.expectCall(3, 'clear', 'm');
    await kv.expectCall(true, 'setMany', 'm', dict(['x', 1], ['y', 2], ['z', 3]));
    await kv.fails('KV_TOO_MANY_ENTRIES', 'setMany', 'm', dict(['p', 1]));
  });

  reg.test('maxEntries defaults to 10,000', async (t) => {
    const kv = await t.open({ m: {} });
    const entries = dict(...Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i] as const));
    await kv.expectCall(true, 'setMany', 'm', entries);
    await kv.fails('KV_TOO_MANY_ENTRIES', 'set', 'm', 'one-more', 1);
    const keys = await kv.call('keys', 'm');
    t.expect((keys as readonly string[]).length).toBe(10_000);
  });

  reg.test('maxStoreSize counts UTF-8 bytes of keys plus value JSON', async (t) => {
    const kv = await t.open({ m: { maxStoreSize: 30 } });
    await kv.call('set', 'm', 'ab', 'x'.repeat(8)); // 2 + 10 = 12
    await kv.call('set', 'm', 'cd', 'x'.repeat(12)); // 2 + 14 = 16, total 28
    let before = await kv.snapshot('m');
    await kv.fails('KV_STORE_TOO_LARGE', 'set', 'm', 'é', 1); // 2 + 1 = 3 -> 31
    await kv.fails('KV_STORE_TOO_LARGE', 'setMany', 'm', dict(['e', 1], ['f', 1]));
    t.expect(await kv.snapshot('m')).toBe(before);
    await kv.expectCall(true, 'set', 'm', 'e', 1); // 1 + 1 = 2 -> exactly 30
    before = await kv.snapshot('m');
    await kv.fails('KV_STORE_TOO_LARGE', 'set', 'm', 'f', 1);
    await kv.fails('KV_STORE_TOO_LARGE', 'add', 'm', 'f', 1);
    await kv.fails('KV_STORE_TOO_LARGE', 'incr', 'm', 'f');
    await kv.fails('KV_STORE_TOO_LARGE', 'merge', 'm', 'f', dict());
    await kv.fails('KV_STORE_TOO_LARGE', 'incr', 'm', 'e', 9); // "10" is one byte longer
    await kv.fails('KV_STORE_TOO_LARGE', 'cas', 'm', 'e', 1, 10);
    t.expect(await kv.snapshot('m')).toBe(before);
    await kv.expectCall(2, 'incr', 'm', 'e'); // same size
    // Shrinking a value frees room: 12 -> 10.
    await kv.expectCall(true, 'set', 'm', 'ab', 'x'.repeat(6));
    await kv.expectCall(true, 'set', 'm', 'f', 1); // exactly 30 again
    await kv.fails('KV_STORE_TOO_LARGE', 'set', 'm', 'g', 1);
    await kv.expectCall(true, 'delete', 'm', 'cd');
    await kv.expectCall(true, 'set', 'm', 'g', 'x'.repeat(13)); // 1 + 15 = 16 -> 30
  });

  reg.test('a setMany that fails any check writes nothing', async (t) => {
    const kv = await t.open({
      m: { maxValueSize: 10, maxEntries: 4 },
      cfg: { schema: { n: { type: 'number', default: 0 }, s: { type: 'string', default: '' } } },
    });
    await kv.call('setMany', 'm', dict(['a', 1], ['b', 2]));
    const before = await kv.snapshot('m');
    await kv.fails(
      'KV_VALUE_TOO_LARGE',
      'setMany',
      'm',
      dict(['a', 9], ['c', 3], ['d', 'x'.repeat(9)]),
    );
    await kv.fails('KV_INVALID_KEY', 'setMany', 'm', dict(['a', 9], ['c', 3], ['', 4]));
    await kv.fails('KV_INVALID_KEY', 'setMany', 'm', dict(['a', 9], ['k'.repeat(1025), 4]));
    await kv.fails(
      'KV_TOO_MANY_ENTRIES',
      'setMany',
      'm',
      dict(['a', 9], ['c', 3], ['d', 4], ['e', 5]),
    );
    t.expect(await kv.snapshot('m')).toBe(before);
    const cfgBefore = await kv.snapshot('cfg');
    await kv.fails('KV_TYPE_MISMATCH', 'setMany', 'cfg', dict(['n', 5], ['s', 5]));
    await kv.fails('KV_UNDECLARED_KEY', 'setMany', 'cfg', dict(['n', 5], ['x', 5]));
    t.expect(await kv.snapshot('cfg')).toBe(cfgBefore);
  });

  reg.test('concurrent writes never exceed maxEntries', async (t) => {
    const kv = await t.open({ m: { maxEntries: 10 } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        kv.call('set', 'm', `k${String(i).padStart(2, '0')}`, i),
      ),
    );
    const ok = outcomes.filter((o) => o.status === 'fulfilled').length;
    const codes = await Promise.all(
      outcomes
        .filter((o): o is PromiseRejectedResult => o.status === 'rejected')
        .map(async (o) => (await captureError(Promise.reject(o.reason as Error))).code),
    );
    t.expect(ok).toBe(10);
    t.expect(new Set(codes)).toEqual(new Set(['KV_TOO_MANY_ENTRIES']));
    const keys = await kv.call('keys', 'm');
    t.expect((keys as readonly string[]).length).toBe(10);
  });

  reg.test('concurrent writes never exceed maxStoreSize', async (t) => {
    // Each entry is 3 bytes of key + 5 bytes of JSON: room for exactly 5 of 20.
    const kv = await t.open({ m: { maxStoreSize: 40 } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        kv.call('set', 'm', `k${String(i).padStart(2, '0')}`, 'abc'),
      ),
    );
    const failures: RillError[] = [];
    for (const o of outcomes) {
      if (o.status === 'rejected')
        failures.push(await captureError(Promise.reject(o.reason as Error)));
    }
    t.expect(outcomes.length - failures.length).toBe(5);
    t.expect(new Set(failures.map((f) => f.code))).toEqual(new Set(['KV_STORE_TOO_LARGE']));
    const keys = await kv.call('keys', 'm');
    t.expect((keys as readonly string[]).length).toBe(5);
  });
}
