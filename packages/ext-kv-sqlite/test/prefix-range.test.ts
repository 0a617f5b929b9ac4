import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteKvExtension } from '../src/index.js';
import { prefixUpperBound } from '../src/prefix-range.js';
import { call, tempDir } from './helpers.js';

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Keys around every boundary where UTF-8 byte order, code point order and UTF-16 code unit
 * order can disagree, plus characters that are special in LIKE, GLOB and SQL.
 */
const KEYS: readonly string[] = [
  'a',
  'ab',
  'a\u0000',
  'a\u0000b',
  'a\u0001',
  'a%',
  'a_',
  'a*',
  'a[',
  "a'",
  'a"',
  'a\\',
  'b',
  '\u007f',
  '\u0080',
  '\u07ff',
  '\u0800',
  '\ud7ff',
  '\ud7ffx',
  '\ue000',
  '\ue000x',
  '\uffef',
  '\ufffd',
  '\uffff',
  '\uffffz',
  '\u{10000}',
  '\u{10000}a',
  '\u{1f600}',
  '\u{1f600}\u{1f600}',
  '\u{1f601}',
  '\u{10fffe}',
  '\u{10ffff}',
  '\u{10ffff}a',
  '\u{10ffff}\u{10ffff}',
  'x\u{10ffff}',
  'x\u{10ffff}y',
  'y',
  'é',
  'e\u0301',
  '中文',
  '中',
];

describe('prefixUpperBound', () => {
  it.each([
    ['', undefined],
    ['a', 'b'],
    ['user:', 'user;'],
    ['a\u0000', 'a\u0001'],
    ['\u007f', '\u0080'],
    ['\ud7ff', '\ue000'],
    ['\uffff', '\u{10000}'],
    ['\u{1f600}', '\u{1f601}'],
    ['a\u{10ffff}', 'b'],
    ['a\u{10ffff}\u{10ffff}', 'b'],
    ['\u{10ffff}', undefined],
    ['\u{10ffff}\u{10ffff}', undefined],
    ['\u{10fffe}', '\u{10ffff}'],
  ])('bound of %j is %j', (prefix, bound) => {
    expect(prefixUpperBound(prefix)).toBe(bound);
  });

  it('handles a very long prefix', () => {
    const prefix = 'x'.repeat(300_000);
    expect(prefixUpperBound(prefix)).toBe(`${'x'.repeat(299_999)}y`);
  });
});

describe('keys, getAll and clear by prefix', () => {
  // Every prefix of every key, plus prefixes that match nothing.
  const prefixes = [
    ...new Set([
      ...KEYS.flatMap((k) => Array.from({ length: k.length + 1 }, (_, i) => k.slice(0, i))),
      '%',
      '_',
      'a%%',
      '\u{10ffff}\u{10ffff}\u{10ffff}',
      'zzz',
    ]),
  ].filter((p) => !/[\ud800-\udbff]$/.test(p)); // half a pair is refused by core

  it('select exactly the keys that start with the prefix, sorted by code unit', async () => {
    const kv = createSqliteKvExtension({ mounts: { m: { database: join(tempDir(), 'kv.db') } } });
    await call(kv, 'setMany', 'm', new Map(KEYS.map((k) => [k, k])));
    for (const prefix of prefixes) {
      const expected = KEYS.filter((k) => k.startsWith(prefix)).sort(byCodeUnit);
      expect(await call(kv, 'keys', 'm', prefix), JSON.stringify(prefix)).toEqual(expected);
      const all = (await call(kv, 'getAll', 'm', prefix)) as ReadonlyMap<string, unknown>;
      expect([...all.keys()], JSON.stringify(prefix)).toEqual(expected);
    }
    await kv.dispose();
  });

  it('clear deletes exactly what keys lists', async () => {
    const kv = createSqliteKvExtension({ mounts: { m: { database: join(tempDir(), 'kv.db') } } });
    for (const prefix of prefixes) {
      await call(kv, 'clear', 'm');
      await call(kv, 'setMany', 'm', new Map(KEYS.map((k) => [k, 1])));
      const listed = (await call(kv, 'keys', 'm', prefix)) as readonly string[];
      expect(await call(kv, 'clear', 'm', prefix), JSON.stringify(prefix)).toBe(listed.length);
      const left = (await call(kv, 'keys', 'm')) as readonly string[];
      expect(left, JSON.stringify(prefix)).toEqual(
        KEYS.filter((k) => !k.startsWith(prefix)).sort(byCodeUnit),
      );
    }
    await kv.dispose();
  });
});
