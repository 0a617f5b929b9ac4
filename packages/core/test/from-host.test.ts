import { describe, expect, it } from 'vitest';
import {
  CLOSURE_BRAND,
  fromHostValue,
  RillError,
  type RillClosure,
  type RillValue,
  stringifyValue,
  toHostValue,
  valuesEqual,
} from '../src/index.js';

const closure: RillClosure = { [CLOSURE_BRAND]: true, params: [] };

function errorOf(fn: () => unknown): RillError {
  try {
    fn();
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a RillError');
}

describe('fromHostValue', () => {
  it('passes primitives through', () => {
    expect(fromHostValue('s')).toBe('s');
    expect(fromHostValue(0)).toBe(0);
    expect(fromHostValue(false)).toBe(false);
  });

  it('turns arrays into frozen lists and objects into dicts, keeping key order', () => {
    const value = fromHostValue({ b: [1, { c: 'x' }], a: true, 2: 'two' });
    expect(value).toBeInstanceOf(Map);
    // Plain objects list integer-like keys first; that order is what the host handed over.
    expect([...(value as Map<string, RillValue>).keys()]).toEqual(['2', 'b', 'a']);
    const b = (value as Map<string, RillValue>).get('b');
    expect(Array.isArray(b) && Object.isFrozen(b)).toBe(true);
    expect(stringifyValue(value)).toBe('{"2":"two","b":[1,{"c":"x"}],"a":true}');
  });

  it('accepts Maps with string keys, objects without a prototype, and closures', () => {
    const bare = Object.assign(Object.create(null) as object, { k: 1 });
    const value = fromHostValue(new Map<string, unknown>([['z', [bare, closure]]]));
    expect(
      valuesEqual(value, new Map([['z', Object.freeze([new Map([['k', 1]]), closure])]])),
    ).toBe(true);
    expect(fromHostValue(closure)).toBe(closure);
  });

  it('returns an already-frozen list of plain values as is', () => {
    const frozen = Object.freeze([1, 'a']);
    expect(fromHostValue(frozen)).toBe(frozen);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a bigint', 10n],
    [
      'a class instance',
      new (class Point {
        x = 1;
      })(),
    ],
    ['a Date', new Date(0)],
    ['a RegExp', /x/],
    ['a Set', new Set([1])],
    ['a Map with a non-string key', new Map<unknown, unknown>([[1, 'one']])],
    ['a Promise', Promise.resolve(1)],
  ])('rejects %s with HOST_INVALID_RETURN', (_name, value) => {
    expect(errorOf(() => fromHostValue(value)).code).toBe('HOST_INVALID_RETURN');
  });

  it.each<[string, unknown, string]>([
    ['in a list', [1, undefined], 'value[1]'],
    ['in an object', { a: { b: null } }, 'value.a.b'],
    ['in a Map', new Map([['m', [() => 0]]]), 'value.m[0]'],
  ])('names where the bad value sits (%s)', (_name, value, path) => {
    expect(errorOf(() => fromHostValue(value)).details['path']).toBe(path);
  });

  it('uses the caller-given root name in the path', () => {
    expect(errorOf(() => fromHostValue([undefined], 'result')).details['path']).toBe('result[0]');
  });
});

describe('toHostValue', () => {
  it('turns lists into arrays and dicts into plain objects', () => {
    const value: RillValue = new Map<string, RillValue>([
      ['a', Object.freeze([1, new Map([['b', 'c']])])],
      ['f', closure],
    ]);
    expect(toHostValue(value)).toEqual({ a: [1, { b: 'c' }], f: closure });
    expect(toHostValue('x')).toBe('x');
  });

  it('keeps a __proto__ key as an own property through a round trip', () => {
    const host = JSON.parse('{"__proto__":{"polluted":true},"x":1}') as unknown;
    const value = fromHostValue(host);
    expect([...(value as Map<string, RillValue>).keys()]).toEqual(['__proto__', 'x']);

    const back = toHostValue(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'x']);
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(valuesEqual(fromHostValue(back), value)).toBe(true);
  });

  it('round-trips nested data', () => {
    const host = { list: [1, 'two', [true]], nested: { deeper: { n: -1.5 } } };
    expect(toHostValue(fromHostValue(host))).toEqual(host);
  });
});
