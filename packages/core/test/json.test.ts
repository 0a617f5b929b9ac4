import { describe, expect, it } from 'vitest';
import {
  CLOSURE_BRAND,
  depthOf,
  parseJsonValue,
  RillError,
  type RillValue,
  stringifyValue,
  toHostValue,
  valuesEqual,
} from '../src/index.js';

const list = (...items: RillValue[]): RillValue => Object.freeze(items);
const dict = (...entries: [string, RillValue][]): RillValue => new Map(entries);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (RillError.is(error)) return error.code;
    throw error;
  }
  return undefined;
}

function keysOf(value: RillValue): string[] {
  if (!(value instanceof Map)) throw new Error('expected a dict');
  return [...value.keys()];
}

describe('stringifyValue', () => {
  it.each<[string, RillValue, string]>([
    ['string', 'hi "there"\n', '"hi \\"there\\"\\n"'],
    ['number', 1.5, '1.5'],
    ['negative zero as JSON does', -0, '0'],
    ['bool', false, 'false'],
    ['empty list', list(), '[]'],
    ['empty dict', dict(), '{}'],
    ['nested', dict(['a', list(1, dict(['b', true]))]), '{"a":[1,{"b":true}]}'],
  ])('%s', (_name, value, text) => {
    expect(stringifyValue(value)).toBe(text);
  });

  it('keeps dict key order, including integer-like keys a JS object would move', () => {
    const value = dict(['b', 1], ['10', 2], ['a', 3], ['2', 4]);
    expect(stringifyValue(value)).toBe('{"b":1,"10":2,"a":3,"2":4}');
    // The naive route through a plain object reorders: the reason stringifyValue exists.
    expect(JSON.stringify(toHostValue(value))).toBe('{"2":4,"10":2,"b":1,"a":3}');
  });

  it('indents nested containers', () => {
    const value = dict(['name', 'x'], ['tags', list('a', 'b')], ['empty', list()], ['o', dict()]);
    expect(stringifyValue(value, 2)).toBe(
      [
        '{',
        '  "name": "x",',
        '  "tags": [',
        '    "a",',
        '    "b"',
        '  ],',
        '  "empty": [],',
        '  "o": {}',
        '}',
      ].join('\n'),
    );
    expect(stringifyValue(list(1, list(2)), 4)).toBe('[\n    1,\n    [\n        2\n    ]\n]');
  });

  it('indent 0 is compact', () => {
    expect(stringifyValue(list(1, 2), 0)).toBe('[1,2]');
  });

  it('compact and indented output hold the same JSON, deep containers included', () => {
    let deep: RillValue = dict(['leaf', 'a b\u2028"c"']);
    for (let i = 0; i < 40; i++) deep = i % 2 ? list(i, deep, dict()) : dict(['k' + i, deep]);
    const value = dict(['x', list(dict(['y', list()]), -0.5, true)], ['deep', deep]);
    const compact = stringifyValue(value);
    expect(compact).not.toMatch(/\n/);
    expect(compact).toBe(JSON.stringify(JSON.parse(stringifyValue(value, 2))));
  });

  it.each<[string, RillValue]>([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['-Infinity', -Infinity],
    ['a closure', { [CLOSURE_BRAND]: true, params: [] }],
    ['a closure nested in a dict', dict(['f', list({ [CLOSURE_BRAND]: true, params: [] })])],
    ['NaN nested in a list', list(1, dict(['n', NaN]))],
  ])('rejects %s with EVAL_NOT_SERIALIZABLE', (_name, value) => {
    expect(codeOf(() => stringifyValue(value))).toBe('EVAL_NOT_SERIALIZABLE');
  });
});

describe('parseJsonValue', () => {
  it.each<[string, string, RillValue]>([
    ['string', '"a\\u00e9"', 'aé'],
    ['number', ' -1.5e2 ', -150],
    ['bool', 'true', true],
    ['empty list', '[]', list()],
    ['empty dict', '{}', dict()],
    [
      'nested',
      '{"a":[1,{"b":false}],"c":"d"}',
      dict(['a', list(1, dict(['b', false]))], ['c', 'd']),
    ],
  ])('%s', (_name, text, expected) => {
    expect(valuesEqual(parseJsonValue(text), expected)).toBe(true);
  });

  it('keeps key order as written, without integer-like keys (fast path)', () => {
    expect(keysOf(parseJsonValue('{"z":1,"a":2,"m":3}'))).toEqual(['z', 'a', 'm']);
  });

  it('keeps key order as written with integer-like keys, at any depth', () => {
    const value = parseJsonValue('{"b":1,"10":2,"a":{"9":0,"x":1,"1":2},"2":[{"5":1,"c":2}]}');
    expect(keysOf(value)).toEqual(['b', '10', 'a', '2']);
    const inner = (value as Map<string, RillValue>).get('a') as RillValue;
    expect(keysOf(inner)).toEqual(['9', 'x', '1']);
    const deep = (
      (value as Map<string, RillValue>).get('2') as readonly RillValue[]
    )[0] as RillValue;
    expect(keysOf(deep)).toEqual(['5', 'c']);
  });

  it('treats keys that only look numeric as ordinary keys', () => {
    expect(keysOf(parseJsonValue('{"b":1,"01":2,"-1":3,"1.5":4}'))).toEqual([
      'b',
      '01',
      '-1',
      '1.5',
    ]);
  });

  it('round-trips with stringifyValue, order included', () => {
    for (const text of [
      '{"b":1,"10":2,"a":[true,"x",{"3":4,"c":5}]}',
      '[1,[2,[3]],{}]',
      '"\\u2028"',
    ]) {
      expect(stringifyValue(parseJsonValue(text))).toBe(text.replace('\\u2028', '\u2028'));
    }
  });

  it('decodes unicode escapes, including surrogate pairs, on both paths', () => {
    expect(parseJsonValue('"\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\\\/"')).toBe('é😀\n\t"\\/');
    const slow = parseJsonValue('{"1":"\\u00e9","k\\u00e9y":"\\ud83d\\ude00"}');
    expect(keysOf(slow)).toEqual(['1', 'kéy']);
    expect((slow as Map<string, RillValue>).get('kéy')).toBe('😀');
  });

  it('duplicate keys: the last value wins, at the position of the first (both paths)', () => {
    const fast = parseJsonValue('{"a":1,"b":2,"a":3}');
    expect(keysOf(fast)).toEqual(['a', 'b']);
    expect((fast as Map<string, RillValue>).get('a')).toBe(3);
    const slow = parseJsonValue('{"a":1,"1":2,"a":3}');
    expect(keysOf(slow)).toEqual(['a', '1']);
    expect((slow as Map<string, RillValue>).get('a')).toBe(3);
  });

  it('returns frozen lists', () => {
    expect(Object.isFrozen(parseJsonValue('[1,[2]]'))).toBe(true);
    const slow = parseJsonValue('{"1":[1,[2]]}') as Map<string, RillValue>;
    expect(Object.isFrozen(slow.get('1'))).toBe(true);
  });

  it.each([
    ['top level', 'null'],
    ['in a list', '[1,null]'],
    ['in a dict', '{"a":null}'],
    ['deep down', '{"a":[{"b":[null]}]}'],
    ['in a dict with integer-like keys (ordered path)', '{"1":{"2":null}}'],
    ['in a list under integer-like keys (ordered path)', '{"1":[true,null]}'],
  ])('rejects JSON null %s with EVAL_INVALID_JSON', (_name, text) => {
    expect(codeOf(() => parseJsonValue(text))).toBe('EVAL_INVALID_JSON');
  });

  it('reports where the null was', () => {
    try {
      parseJsonValue('{"a":[1,null]}');
      expect.unreachable();
    } catch (error) {
      expect(RillError.is(error) && error.details['path']).toBe('$.a[1]');
    }
  });

  it.each([
    ['empty text', ''],
    ['whitespace only', '   '],
    ['trailing comma', '[1,2,]'],
    ['single quotes', "{'a':1}"],
    ['unquoted key', '{a:1}'],
    ['unterminated string', '"abc'],
    ['unterminated list', '[1,2'],
    ['trailing garbage', '{"a":1} x'],
    ['NaN literal', 'NaN'],
    ['leading zero', '01'],
    ['bad escape', '"\\x41"'],
    ['ordered path: trailing comma', '{"1":1,}'],
    ['ordered path: missing colon', '{"1" 1}'],
    ['ordered path: trailing garbage', '{"1":1}]'],
    ['ordered path: bad escape in a value', '{"1":"\\q"}'],
    ['ordered path: unterminated', '{"1":[1,2'],
  ])('rejects malformed text (%s) with EVAL_INVALID_JSON', (_name, text) => {
    expect(codeOf(() => parseJsonValue(text))).toBe('EVAL_INVALID_JSON');
  });

  it('keeps the native parse error as cause for malformed text', () => {
    try {
      parseJsonValue('{');
      expect.unreachable();
    } catch (error) {
      expect(RillError.is(error)).toBe(true);
      expect((error as RillError).cause).toBeInstanceOf(SyntaxError);
    }
  });

  it('parses moderately deep nesting on both paths', () => {
    const depth = 500;
    const lists = parseJsonValue('['.repeat(depth) + '1' + ']'.repeat(depth));
    expect(stringifyValue(lists)).toBe('['.repeat(depth) + '1' + ']'.repeat(depth));
    const dicts = '{"1":'.repeat(depth) + 'true' + '}'.repeat(depth);
    expect(stringifyValue(parseJsonValue(dicts))).toBe(dicts);
  });

  it.each([
    ['lists', (n: number) => '['.repeat(n) + '1' + ']'.repeat(n)],
    ['dicts with integer-like keys', (n: number) => '{"1":'.repeat(n) + '1' + '}'.repeat(n)],
  ])(
    'pathologically deep %s are refused with LIMIT_VALUE_DEPTH, or read with no limit',
    (_name, make) => {
      let code: string | undefined;
      try {
        parseJsonValue(make(100_000));
      } catch (error) {
        code = RillError.is(error) ? error.code : `raw ${(error as Error).name}`;
      }
      expect(code).toBe('LIMIT_VALUE_DEPTH');
      const value = parseJsonValue(make(100_000), Infinity);
      expect(depthOf(value)).toBe(100_000);
      expect(stringifyValue(value)).toBe(make(100_000));
    },
  );
});
