import { dict, showValue } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';
import type { KvFunctionName } from '../kv-harness.js';

/**
 * Keys that break stores which treat keys as patterns, paths, SQL, object properties or
 * normalised text. Every one is an ordinary, distinct key.
 */
export const TORTURE_KEYS: readonly string[] = [
  'a_b',
  'a%b',
  '%',
  '_',
  '%%',
  'a*b',
  '*',
  '*:*',
  'a:*',
  'a?b',
  '?',
  'a[b]',
  '[',
  ']',
  '[a-z]',
  'a:b',
  ':',
  'a\\b',
  '\\',
  'a..b',
  '..',
  '.',
  '../x',
  'a/b',
  '/',
  'a b',
  ' ',
  ' lead',
  'trail ',
  'tab\there',
  'new\nline',
  'cr\rhere',
  'nul\u0000byte',
  'quote"s',
  "apos'",
  '{x}',
  '$x',
  '#',
  'é',
  'e\u0301',
  'Key',
  'key',
  'KEY',
  'ﬁ',
  'fi',
  '😀',
  '𝄞',
  'ｚ',
  '中文',
  'ключ',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'prototype',
  'length',
  '0',
  '-1',
  '01',
  '1e3',
  'null',
  'undefined',
  'true',
  'NaN',
  "'; DROP TABLE kv; --",
];

/** Keys for the literal-prefix checks: each metacharacter prefix over-matches if interpreted. */
const PREFIX_KEYS: readonly string[] = [
  'a',
  'a_b',
  'a_bc',
  'axb',
  'axbc',
  'a%b',
  'a%%',
  'abc',
  'ab',
  'ab]',
  'a*b',
  'a?b',
  'a[b]',
  'a\\b',
  'a\\\\',
  'a.b',
  'a:b',
  'a:c',
  'A_b',
  '%x',
  '_x',
  'x_',
  '*x',
  '?x',
  '[x]',
  '\\x',
  '.x',
  'é1',
  'é2',
  'e1',
  'e\u0301x',
  '😀x',
  '😀y',
  '😁z',
  'ｚ',
];

const PREFIXES: readonly string[] = [
  '',
  'a',
  'A',
  'a_',
  'a_b',
  'a_bc',
  'a_bcd',
  'a%',
  'a%%',
  'a*',
  'a?',
  'a[',
  'a[b',
  'ab',
  'ab]',
  'a\\',
  'a\\\\',
  'a.',
  'a:',
  '%',
  '_',
  '*',
  '?',
  '[',
  '\\',
  '.',
  'é',
  'e',
  'e\u0301',
  '😀',
  '😁',
  'zzz',
];

/** Independent oracle: keys starting with `prefix`, sorted by UTF-16 code unit. */
function selection(keys: readonly string[], prefix: string): string[] {
  return keys.filter((k) => k.startsWith(prefix)).sort();
}

/**
 * One call per key-taking function, all with `key`, in an order in which every call succeeds
 * on a fresh open mount (so the same list serves the "accepted" and "rejected" checks).
 */
export function everyKeyCall(
  mount: string,
  key: unknown,
): readonly [KvFunctionName, ...unknown[]][] {
  return [
    ['get', mount, key],
    ['get_or', mount, key, 0],
    ['has', mount, key],
    ['add', mount, key, 1],
    ['incr', mount, key, 1],
    ['cas', mount, key, 2, dict(['a', 0])],
    ['merge', mount, key, dict(['a', 1])],
    ['set', mount, key, 1],
    ['delete', mount, key],
    ['getMany', mount, ['ok', key]],
    [
      'setMany',
      mount,
      new Map<unknown, unknown>([
        ['ok', 1],
        [key, 2],
      ]),
    ],
  ];
}

/** §3 keys and prefixes: literal, case-sensitive, code-unit order, 1,024-byte limit. */
export function keysCases(reg: KvCaseRegistrar): void {
  reg.test('torture keys are ordinary distinct keys for every function', async (t) => {
    const kv = await t.open({ m: {}, n: {} });
    // Nothing exists before the first write, not even prototype properties.
    await kv.expectCall(false, 'has', 'm', 'constructor');
    await kv.expectCall('', 'get', 'm', '__proto__');
    await kv.expectCall(dict(), 'getMany', 'm', ['constructor', '__proto__', 'toString']);
    // Keys are independent, so each phase runs them concurrently (as scripts using map do).
    const each = (fn: (key: string, i: number) => Promise<void>): Promise<unknown> =>
      Promise.all(TORTURE_KEYS.map((key, i) => fn(key, i)));
    await each((key, i) => kv.expectCall(true, 'set', 'm', key, i));
    await each(async (key, i) => {
      await kv.expectCall(i, 'get', 'm', key);
      await kv.expectCall(true, 'has', 'm', key);
    });
    const sorted = [...TORTURE_KEYS].sort();
    await kv.expectCall(sorted, 'keys', 'm');
    await kv.expectCall(
      dict(...sorted.map((k) => [k, TORTURE_KEYS.indexOf(k)] as const)),
      'getAll',
      'm',
    );
    await kv.expectCall(
      dict(...TORTURE_KEYS.map((k, i) => [k, i] as const)),
      'getMany',
      'm',
      TORTURE_KEYS,
    );
    await each(async (key) => {
      await kv.expectCall(1, 'incr', 'n', key);
      await kv.expectCall(false, 'add', 'n', key, 5);
      await kv.expectCall(true, 'cas', 'n', key, 1, dict(['k', key]));
      await kv.expectCall(true, 'merge', 'n', key, dict(['v', 2]));
      await kv.expectCall(dict(['k', key], ['v', 2]), 'get_or', 'n', key, 0);
    });
    await each((key) => kv.expectCall(true, 'delete', 'm', key));
    await kv.expectCall([], 'keys', 'm');
    await kv.expectCall(TORTURE_KEYS.length, 'clear', 'n');
  });

  if (reg.via === 'script')
    reg.test('torture keys pass through map in one script', async (t) => {
      const kv = await t.open({ n: {} });
      const source = [
        '$keys -> map {',
        '  $ => $k',
        '  kv::incr("n", $k) => $a',
        '  kv::cas("n", $k, 1, [k: $k]) => $b',
        '  kv::merge("n", $k, [v: 2]) => $c',
        '  [$a, $b, $c, kv::get("n", $k), kv::has("n", $k)]',
        '}',
      ].join('\n');
      const result = await kv.run(source, { keys: TORTURE_KEYS });
      t.expect(showValue(result)).toBe(
        showValue(TORTURE_KEYS.map((k) => [1, true, true, dict(['k', k], ['v', 2]), true])),
      );
      await kv.expectCall([...TORTURE_KEYS].sort(), 'keys', 'n');
    });

  reg.test('torture keys survive setMany and getAll unchanged', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'setMany', 'm', dict(...TORTURE_KEYS.map((k) => [k, k] as const)));
    const sorted = [...TORTURE_KEYS].sort();
    await kv.expectCall(dict(...sorted.map((k) => [k, k] as const)), 'getAll', 'm');
  });

  reg.test('prefixes are literal in keys and getAll', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('setMany', 'm', dict(...PREFIX_KEYS.map((k) => [k, k] as const)));
    for (const prefix of PREFIXES) {
      const expected = selection(PREFIX_KEYS, prefix);
      const keys = await kv.call('keys', 'm', prefix);
      t.expect(keys, `keys with prefix ${JSON.stringify(prefix)}`).toEqual(expected);
      await kv.expectCall(dict(...expected.map((k) => [k, k] as const)), 'getAll', 'm', prefix);
    }
  });

  reg.test('clear with a literal prefix deletes exactly what keys lists', async (t) => {
    const kv = await t.open({ m: {} });
    const all = dict(...PREFIX_KEYS.map((k) => [k, 1] as const));
    for (const prefix of PREFIXES) {
      await kv.call('setMany', 'm', all);
      const removed = selection(PREFIX_KEYS, prefix);
      const count = await kv.call('clear', 'm', prefix);
      t.expect(count, `clear count for prefix ${JSON.stringify(prefix)}`).toBe(removed.length);
      const rest = await kv.call('keys', 'm');
      t.expect(rest, `keys left after clear(${JSON.stringify(prefix)})`).toEqual(
        [...PREFIX_KEYS].filter((k) => !removed.includes(k)).sort(),
      );
    }
  });

  reg.test('keys sort by UTF-16 code unit, not code point or locale', async (t) => {
    const kv = await t.open({ m: {} });
    for (const key of ['ｚ', 'é', '😀', 'a', 'Z', '~', '_', 'B', 'ä', 'a\u0000', 'ab']) {
      await kv.call('set', 'm', key, 1);
    }
    // U+FF5A sorts after U+1F600 because the emoji's first code unit is 0xD83D.
    await kv.expectCall(
      ['B', 'Z', '_', 'a', 'a\u0000', 'ab', '~', 'ä', 'é', '😀', 'ｚ'],
      'keys',
      'm',
    );
    const all = await kv.call('getAll', 'm');
    t.expect([...(all as ReadonlyMap<string, unknown>).keys()]).toEqual([
      'B',
      'Z',
      '_',
      'a',
      'a\u0000',
      'ab',
      '~',
      'ä',
      'é',
      '😀',
      'ｚ',
    ]);
  });

  reg.test('keys are case-sensitive and never Unicode-normalised', async (t) => {
    const kv = await t.open({ m: {} });
    const keys = ['key', 'Key', 'KEY', '\u00e9', 'e\u0301', '\ufb01', 'fi', 'ß', 'ss'];
    for (const key of keys) await kv.call('set', 'm', key, key);
    for (const key of keys) await kv.expectCall(key, 'get', 'm', key);
    await kv.expectCall([...keys].sort(), 'keys', 'm');
    await kv.expectCall(['KEY', 'Key'], 'keys', 'm', 'K');
  });

  reg.test('a key of 1,024 UTF-8 bytes is accepted by every function', async (t) => {
    const kv = await t.open({ m: {} });
    const keys = [
      'a'.repeat(1024),
      'é'.repeat(512),
      '😀'.repeat(256),
      'a' + '😀'.repeat(255) + 'abc',
    ];
    for (const key of keys) {
      for (const [fn, ...args] of everyKeyCall('m', key)) await kv.call(fn, ...args);
      await kv.expectCall(true, 'has', 'm', key);
    }
    await kv.expectCall(['ok', ...keys].sort(), 'keys', 'm');
  });

  reg.test('a key of 1,025 UTF-8 bytes fails with KV_INVALID_KEY everywhere', async (t) => {
    const kv = await t.open({ m: {} });
    // 'é'.repeat(513) is 513 characters but 1,026 bytes: the limit counts bytes.
    const keys = ['a'.repeat(1025), 'é'.repeat(512) + 'a', '😀'.repeat(256) + 'a', 'é'.repeat(513)];
    for (const key of keys) {
      for (const [fn, ...args] of everyKeyCall('m', key))
        await kv.fails('KV_INVALID_KEY', fn, ...args);
    }
    await kv.expectCall([], 'keys', 'm');
  });

  reg.test('the empty key fails with KV_INVALID_KEY everywhere', async (t) => {
    const kv = await t.open({ m: {} });
    for (const [fn, ...args] of everyKeyCall('m', ''))
      await kv.fails('KV_INVALID_KEY', fn, ...args);
    await kv.expectCall([], 'keys', 'm');
  });

  reg.test('a non-string key fails with KV_INVALID_KEY', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.fails('KV_INVALID_KEY', 'getMany', 'm', ['ok', 1]);
    await kv.fails('KV_INVALID_KEY', 'getMany', 'm', [['nested']]);
    for (const key of [1, true, ['k'], dict(['k', 1])]) {
      // setMany takes a dict, whose keys are always strings.
      for (const [fn, ...args] of everyKeyCall('m', key).filter(([f]) => f !== 'setMany')) {
        await kv.fails('KV_INVALID_KEY', fn, ...args);
      }
    }
    await kv.expectCall([], 'keys', 'm');
  });

  reg.test('keys that are not valid Unicode are refused with KV_INVALID_KEY', async (t) => {
    const kv = await t.open({ m: {} });
    // Lone surrogates have no UTF-8 form; a store that encodes them as U+FFFD would merge
    // these keys with each other and with 'a\ufffd', so every backend refuses them.
    const lone = ['a\ud800', 'a\ud801', 'a\udc00', '\ud83d', 'x\ude00y', 'a\udc00\ud83d'];
    for (const key of lone) {
      for (const [fn, ...args] of everyKeyCall('m', key))
        await kv.fails('KV_INVALID_KEY', fn, ...args);
    }
    await kv.expectCall([], 'keys', 'm');
    await kv.expectCall(true, 'set', 'm', 'a\ufffd', 1);
    await kv.expectCall(true, 'set', 'm', 'a\ud83d\ude00', 2);
    await kv.expectCall(['a\ud83d\ude00', 'a\ufffd'], 'keys', 'm');
    await kv.expectCall(1, 'get', 'm', 'a\ufffd');
  });

  reg.test('a prefix holding a lone surrogate is refused with KV_INVALID_KEY', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('setMany', 'm', dict(['😀x', 1], ['😁z', 2], ['\ufffd', 3], ['a', 4]));
    // Half a surrogate pair included: UTF-8 stores could not select by it like the others.
    for (const prefix of ['\ud83d', '\ude00', 'a\ud800b']) {
      for (const fn of ['keys', 'getAll', 'clear'] as const)
        await kv.fails('KV_INVALID_KEY', fn, 'm', prefix);
    }
    await kv.expectCall(['😀x'], 'keys', 'm', '😀');
    await kv.expectCall(['a', '😀x', '😁z', '\ufffd'], 'keys', 'm');
  });
}
