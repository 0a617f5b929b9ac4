import { CLOSURE_BRAND } from '@rillkit/core';
import { dict } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';
import type { KvFunctionName } from '../kv-harness.js';

/** Arguments of every mount-taking kv function, with a valid key and value. */
export function everyMountCall(mount: string): readonly [KvFunctionName, ...unknown[]][] {
  return [
    ['get', mount, 'k'],
    ['get_or', mount, 'k', 0],
    ['set', mount, 'k', 1],
    ['merge', mount, 'k', dict(['a', 1])],
    ['delete', mount, 'k'],
    ['has', mount, 'k'],
    ['keys', mount, ''],
    ['getAll', mount, ''],
    ['clear', mount, ''],
    ['getMany', mount, ['k']],
    ['setMany', mount, dict(['k', 1])],
    ['add', mount, 'k', 1],
    ['cas', mount, 'k', 1, 2],
    ['incr', mount, 'k', 1],
    ['schema', mount],
  ];
}

/** A value that carries the closure brand, for direct calls (scripts use a real closure). */
export const FAKE_CLOSURE = Object.freeze({ [CLOSURE_BRAND]: true as const, params: [] });

/** §3: every function's semantics and exact return value in open mode. */
export function basicsCases(reg: KvCaseRegistrar): void {
  reg.test('set returns true and get returns the stored value', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'set', 'm', 'k', 'v');
    await kv.expectCall('v', 'get', 'm', 'k');
    await kv.expectCall(true, 'set', 'm', 'k', 42);
    await kv.expectCall(42, 'get', 'm', 'k');
  });

  reg.test('get of a missing key is the empty string', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall('', 'get', 'm', 'missing');
  });

  reg.test('get_or returns the fallback of any type for a missing key', async (t) => {
    const kv = await t.open({ m: {} });
    for (const fallback of [0, false, '', 'x', [1, [2]], dict(['b', 1], ['a', 2]), dict()]) {
      await kv.expectCall(fallback, 'get_or', 'm', 'missing', fallback);
    }
    await kv.call('set', 'm', 'k', 'stored');
    await kv.expectCall('stored', 'get_or', 'm', 'k', 99);
    // A stored empty string is a value, not a missing key.
    await kv.call('set', 'm', 'empty', '');
    await kv.expectCall('', 'get_or', 'm', 'empty', 'fallback');
  });

  reg.test('has reports presence', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(false, 'has', 'm', 'k');
    await kv.call('set', 'm', 'k', '');
    await kv.expectCall(true, 'has', 'm', 'k');
    await kv.call('delete', 'm', 'k');
    await kv.expectCall(false, 'has', 'm', 'k');
  });

  reg.test('delete returns whether a stored value was removed', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(false, 'delete', 'm', 'k');
    await kv.call('set', 'm', 'k', 1);
    await kv.expectCall(true, 'delete', 'm', 'k');
    await kv.expectCall(false, 'delete', 'm', 'k');
    await kv.expectCall('', 'get', 'm', 'k');
    await kv.expectCall([], 'keys', 'm', '');
  });

  reg.test('keys lists every key sorted by code unit, prefix defaulting to ""', async (t) => {
    const kv = await t.open({ m: {} });
    for (const key of ['b', 'a', 'c', '10', '2', '1', 'B']) await kv.call('set', 'm', key, key);
    await kv.expectCall(['1', '10', '2', 'B', 'a', 'b', 'c'], 'keys', 'm');
    await kv.expectCall(['1', '10', '2', 'B', 'a', 'b', 'c'], 'keys', 'm', '');
    await kv.expectCall(['1', '10'], 'keys', 'm', '1');
    await kv.expectCall([], 'keys', 'm', 'zz');
  });

  reg.test('getAll returns the selection of keys as a dict in key order', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'b', [1]);
    await kv.call('set', 'm', 'a', dict(['x', 1]));
    await kv.call('set', 'm', 'ab', 'text');
    await kv.expectCall(dict(['a', dict(['x', 1])], ['ab', 'text'], ['b', [1]]), 'getAll', 'm');
    await kv.expectCall(dict(['a', dict(['x', 1])], ['ab', 'text']), 'getAll', 'm', 'a');
    await kv.expectCall(dict(), 'getAll', 'm', 'c');
  });

  reg.test('clear deletes what keys lists and returns the count', async (t) => {
    const kv = await t.open({ m: {} });
    for (const key of ['a1', 'a2', 'b1']) await kv.call('set', 'm', key, 1);
    await kv.expectCall(2, 'clear', 'm', 'a');
    await kv.expectCall(['b1'], 'keys', 'm');
    await kv.expectCall(1, 'clear', 'm');
    await kv.expectCall([], 'keys', 'm');
    await kv.expectCall(0, 'clear', 'm');
    await kv.expectCall(0, 'clear', 'm', 'a');
  });

  reg.test('getMany returns only existing keys, in request order', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'a', 1);
    await kv.call('set', 'm', 'b', 'two');
    await kv.call('set', 'm', 'c', [3]);
    await kv.expectCall(dict(['c', [3]], ['a', 1]), 'getMany', 'm', ['c', 'missing', 'a']);
    await kv.expectCall(dict(), 'getMany', 'm', []);
    await kv.expectCall(dict(), 'getMany', 'm', ['x', 'y']);
    await kv.expectCall(dict(['b', 'two']), 'getMany', 'm', ['b', 'b']);
  });

  reg.test('setMany writes every entry and returns true', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'setMany', 'm', dict(['b', 1], ['a', [2]], ['c', dict(['d', 'e'])]));
    await kv.expectCall(dict(['a', [2]], ['b', 1], ['c', dict(['d', 'e'])]), 'getAll', 'm');
    await kv.expectCall(true, 'setMany', 'm', dict(['a', 'replaced']));
    await kv.expectCall('replaced', 'get', 'm', 'a');
    await kv.expectCall(true, 'setMany', 'm', dict());
    await kv.expectCall(['a', 'b', 'c'], 'keys', 'm');
  });

  reg.test('add sets only an absent key', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'add', 'm', 'k', 'first');
    await kv.expectCall(false, 'add', 'm', 'k', 'second');
    await kv.expectCall('first', 'get', 'm', 'k');
    await kv.call('set', 'm', 'empty', '');
    await kv.expectCall(false, 'add', 'm', 'empty', 'x');
    await kv.expectCall('', 'get', 'm', 'empty');
  });

  reg.test('cas replaces only when the current value deep-equals expected', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', dict(['a', 1], ['b', [1, dict(['c', true])]]));
    // Deep equality ignores dict key order.
    await kv.expectCall(
      true,
      'cas',
      'm',
      'k',
      dict(['b', [1, dict(['c', true])]], ['a', 1]),
      'next',
    );
    await kv.expectCall('next', 'get', 'm', 'k');
    await kv.expectCall(false, 'cas', 'm', 'k', 'stale', 'other');
    await kv.expectCall('next', 'get', 'm', 'k');
    await kv.call('set', 'm', 'n', 1);
    await kv.expectCall(false, 'cas', 'm', 'n', '1', 2);
    await kv.expectCall(false, 'cas', 'm', 'n', true, 2);
    await kv.expectCall(1, 'get', 'm', 'n');
    await kv.expectCall(true, 'cas', 'm', 'n', 1, [1, 2]);
    await kv.expectCall(false, 'cas', 'm', 'n', [2, 1], 0);
    await kv.expectCall([1, 2], 'get', 'm', 'n');
  });

  reg.test('cas on a missing key compares against "" (what get returns)', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(false, 'cas', 'm', 'missing', 1, 2);
    await kv.expectCall(false, 'cas', 'm', 'missing', dict(), 2);
    await kv.expectCall(false, 'has', 'm', 'missing');
    await kv.expectCall(true, 'cas', 'm', 'missing', '', 'created');
    await kv.expectCall('created', 'get', 'm', 'missing');
  });

  reg.test('set and add refuse unknown or unusable opts with KV_INVALID_OPTION', async (t) => {
    const kv = await t.open({ m: {} });
    for (const opts of [
      dict(['ttl', 0]),
      dict(['ttl', -1]),
      dict(['ttl', 1e10 + 1]),
      dict(['ttl', 1.7e308]),
      dict(['ttl', '1']),
      dict(['ttl', true]),
      dict(['ttl', [1]]),
      dict(['ttl', 1], ['colour', 'blue']),
      dict(['TTL', 1]),
    ]) {
      await kv.fails('KV_INVALID_OPTION', 'set', 'm', 'k', 1, opts);
      await kv.fails('KV_INVALID_OPTION', 'add', 'm', 'k', 1, opts);
    }
    await kv.expectCall(false, 'has', 'm', 'k');
  });

  reg.test('incr counts from 0, by 1 by default, returns the new number', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(1, 'incr', 'm', 'n');
    await kv.expectCall(2, 'incr', 'm', 'n');
    await kv.expectCall(7, 'incr', 'm', 'n', 5);
    await kv.expectCall(4.5, 'incr', 'm', 'n', -2.5);
    await kv.expectCall(-3, 'incr', 'm', 'fresh', -3);
    await kv.expectCall(0.1, 'incr', 'm', 'f', 0.1);
    await kv.expectCall(0.30000000000000004, 'incr', 'm', 'f', 0.2);
    await kv.expectCall(0.30000000000000004, 'get', 'm', 'f');
    await kv.expectCall(0, 'incr', 'm', 'z', 0);
    await kv.expectCall(true, 'has', 'm', 'z');
  });

  reg.test('incr of a non-number fails with KV_NOT_A_NUMBER and changes nothing', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 's', '5');
    await kv.call('set', 'm', 'l', [1]);
    await kv.call('set', 'm', 'b', true);
    await kv.call('set', 'm', 'd', dict(['n', 1]));
    const before = await kv.snapshot('m');
    for (const key of ['s', 'l', 'b', 'd']) await kv.fails('KV_NOT_A_NUMBER', 'incr', 'm', key);
    t.expect(await kv.snapshot('m')).toBe(before);
  });

  reg.test('incr by a non-number fails with KV_NOT_A_NUMBER', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'n', 1);
    await kv.fails('KV_NOT_A_NUMBER', 'incr', 'm', 'n', '2');
    await kv.fails('KV_NOT_A_NUMBER', 'incr', 'm', 'fresh', [1]);
    await kv.expectCall(1, 'get', 'm', 'n');
    await kv.expectCall(false, 'has', 'm', 'fresh');
  });

  reg.test('merge creates a missing key from the partial', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'merge', 'm', 'k', dict(['b', 1], ['a', 2]));
    await kv.expectCall(dict(['b', 1], ['a', 2]), 'get', 'm', 'k');
    await kv.expectCall(true, 'merge', 'm', 'e', dict());
    await kv.expectCall(dict(), 'get', 'm', 'e');
  });

  reg.test('merge is shallow and keeps existing key order', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', dict(['a', 1], ['n', dict(['x', 1], ['y', 2])], ['c', 3]));
    await kv.expectCall(true, 'merge', 'm', 'k', dict(['n', dict(['z', 3])], ['b', 2], ['a', 'A']));
    await kv.expectCall(
      dict(['a', 'A'], ['n', dict(['z', 3])], ['c', 3], ['b', 2]),
      'get',
      'm',
      'k',
    );
  });

  reg.test('merge onto a non-dict fails with KV_NOT_A_DICT and changes nothing', async (t) => {
    const kv = await t.open({ m: {} });
    for (const [key, value] of [
      ['s', 'text'],
      ['n', 1],
      ['l', [dict(['a', 1])]],
      ['b', false],
    ] as const) {
      await kv.call('set', 'm', key, value);
    }
    const before = await kv.snapshot('m');
    for (const key of ['s', 'n', 'l', 'b'])
      await kv.fails('KV_NOT_A_DICT', 'merge', 'm', key, dict(['a', 1]));
    t.expect(await kv.snapshot('m')).toBe(before);
  });

  reg.test('merge with a non-dict partial fails with KV_NOT_A_DICT', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', dict(['a', 1]));
    await kv.fails('KV_NOT_A_DICT', 'merge', 'm', 'k', [1]);
    await kv.fails('KV_NOT_A_DICT', 'merge', 'm', 'fresh', 'text');
    await kv.expectCall(dict(['a', 1]), 'get', 'm', 'k');
    await kv.expectCall(false, 'has', 'm', 'fresh');
  });

  reg.test('schema is an empty list in open mode', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall([], 'schema', 'm');
  });

  reg.test('an unknown mount fails with KV_UNKNOWN_MOUNT for every function', async (t) => {
    const kv = await t.open({ m: {} });
    for (const [fn, ...args] of everyMountCall('nope')) {
      await kv.fails('KV_UNKNOWN_MOUNT', fn, ...args);
    }
    // Mount names are exact: no case folding, no trimming.
    await kv.fails('KV_UNKNOWN_MOUNT', 'get', 'M', 'k');
    await kv.fails('KV_UNKNOWN_MOUNT', 'get', ' m', 'k');
    await kv.fails('KV_UNKNOWN_MOUNT', 'get', '', 'k');
  });

  reg.test('mounts are separate stores', async (t) => {
    const kv = await t.open({ a: {}, b: {} });
    await kv.call('set', 'a', 'k', 'in a');
    await kv.expectCall(false, 'has', 'b', 'k');
    await kv.call('set', 'b', 'k', 'in b');
    await kv.expectCall('in a', 'get', 'a', 'k');
    await kv.expectCall(1, 'clear', 'b');
    await kv.expectCall(['k'], 'keys', 'a');
  });

  if (reg.via === 'script') {
    reg.test('the docs/ref-language.md visit counter example runs verbatim', async (t) => {
      const kv = await t.open({ user: {} });
      const source = [
        'kv::get_or("user", "visits", 0) -> ($ + 1) => $n',
        'kv::set("user", "visits", $n)',
        '"visit {$n}"',
      ].join('\n');
      t.expect(await kv.run(source)).toBe('visit 1');
      t.expect(await kv.run(source)).toBe('visit 2');
    });

    reg.test('kv results feed pipes, collection operators and $ insertion', async (t) => {
      const kv = await t.open({ m: {} });
      await kv.call('setMany', 'm', dict(['b', 2], ['a', 1], ['c', 3]));
      t.expect(await kv.run('kv::getAll("m") -> each { "{$.key}={$.value}" } -> .join("&")')).toBe(
        'a=1&b=2&c=3',
      );
      t.expect(await kv.run('"m" -> kv::keys -> .join(",")')).toBe('a,b,c');
      t.expect(await kv.run('"m" -> kv::keys() -> .len')).toBe(3);
      t.expect(
        await kv.run('kv::keys("m") -> map { kv::incr("m", $, 10) } -> fold(0) { $@ + $ }'),
      ).toBe(36);
    });
  }
}
