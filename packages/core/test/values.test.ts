import { describe, expect, it } from 'vitest';
import {
  CLOSURE_BRAND,
  hasType,
  isClosure,
  isDict,
  isList,
  isTypeName,
  type RillClosure,
  type RillValue,
  TYPE_NAMES,
  typeOf,
  valuesEqual,
} from '../src/index.js';

const closure: RillClosure = { [CLOSURE_BRAND]: true, params: [] };
const otherClosure: RillClosure = { [CLOSURE_BRAND]: true, params: [] };
const list = (...items: RillValue[]): RillValue => Object.freeze(items);
const dict = (...entries: [string, RillValue][]): RillValue => new Map(entries);

describe('typeOf / hasType', () => {
  it.each<[RillValue, string]>([
    ['', 'string'],
    ['hi', 'string'],
    [0, 'number'],
    [-7.5, 'number'],
    [NaN, 'number'],
    [true, 'bool'],
    [false, 'bool'],
    [list(), 'list'],
    [list(1, 'a'), 'list'],
    [dict(), 'dict'],
    [dict(['a', 1]), 'dict'],
    [closure, 'closure'],
  ])('typeOf(%o) is %s', (value, name) => {
    expect(typeOf(value)).toBe(name);
    expect(hasType(value, name as never)).toBe(true);
    expect(hasType(value, 'any')).toBe(true);
  });

  it('hasType is false for every other type name', () => {
    expect(hasType(1, 'string')).toBe(false);
    expect(hasType('1', 'number')).toBe(false);
    expect(hasType(list(), 'dict')).toBe(false);
    expect(hasType(dict(), 'list')).toBe(false);
    expect(hasType(closure, 'dict')).toBe(false);
  });

  it('type guards tell the containers apart', () => {
    expect(isList(list())).toBe(true);
    expect(isList(dict())).toBe(false);
    expect(isDict(dict())).toBe(true);
    expect(isDict({})).toBe(false);
    expect(isClosure(closure)).toBe(true);
    expect(isClosure({ params: [] })).toBe(false);
    expect(isClosure(null)).toBe(false);
    // The brand is a registered symbol, so a closure from another copy of core still counts.
    expect(isClosure({ [Symbol.for('rillkit.closure')]: true, params: [] })).toBe(true);
  });

  it('isTypeName accepts exactly the documented names', () => {
    for (const name of TYPE_NAMES) expect(isTypeName(name)).toBe(true);
    expect(isTypeName('null')).toBe(false);
    expect(isTypeName('String')).toBe(false);
    expect(isTypeName('')).toBe(false);
    expect(TYPE_NAMES).toEqual(['string', 'number', 'bool', 'list', 'dict', 'closure', 'any']);
  });
});

describe('valuesEqual', () => {
  it.each<[string, RillValue, RillValue, boolean]>([
    ['equal strings', 'a', 'a', true],
    ['different strings', 'a', 'b', false],
    ['equal numbers', 1.5, 1.5, true],
    ['zero and negative zero', 0, -0, true],
    ['number vs string', 1, '1', false],
    ['bool vs number', true, 1, false],
    ['empty list vs empty dict', list(), dict(), false],
    ['empty string vs empty list', '', list(), false],
    ['equal lists', list(1, 'a', true), list(1, 'a', true), true],
    ['lists in another order', list(1, 2), list(2, 1), false],
    ['lists of different length', list(1, 2), list(1, 2, 3), false],
    ['prefix list', list(1), list(1, 2), false],
    ['equal dicts', dict(['a', 1], ['b', 2]), dict(['a', 1], ['b', 2]), true],
    ['dicts in another key order', dict(['a', 1], ['b', 2]), dict(['b', 2], ['a', 1]), true],
    ['dict with another value', dict(['a', 1]), dict(['a', 2]), false],
    ['dict with another key', dict(['a', 1]), dict(['b', 1]), false],
    ['dict with an extra key', dict(['a', 1]), dict(['a', 1], ['b', 1]), false],
    [
      'nested equal',
      dict(['xs', list(1, dict(['k', list('v')]))], ['n', 0]),
      dict(['n', 0], ['xs', list(1, dict(['k', list('v')]))]),
      true,
    ],
    [
      'nested difference deep down',
      dict(['xs', list(1, dict(['k', list('v')]))]),
      dict(['xs', list(1, dict(['k', list('w')]))]),
      false,
    ],
    [
      'list containing dicts of different order',
      list(dict(['a', 1], ['b', 2])),
      list(dict(['b', 2], ['a', 1])),
      true,
    ],
    ['same closure', closure, closure, true],
    ['different closures with the same shape', closure, otherClosure, false],
    ['closure vs dict', closure, dict(), false],
  ])('%s', (_name, a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
    expect(valuesEqual(b, a)).toBe(expected);
  });

  it('NaN equals nothing, not even itself or a list holding it', () => {
    expect(valuesEqual(NaN, NaN)).toBe(false);
    expect(valuesEqual(list(NaN), list(NaN))).toBe(false);
    expect(valuesEqual(dict(['x', NaN]), dict(['x', NaN]))).toBe(false);
  });
});
