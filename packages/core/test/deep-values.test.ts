import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CLOSURE_BRAND,
  DEFAULT_MAX_DEPTH,
  depthOf,
  formatValue,
  fromHostValue,
  fromJsonData,
  isErrorCode,
  parseJsonValue,
  RillError,
  type RillClosure,
  type RillValue,
  stringifyValue,
  toHostValue,
  valuesEqual,
} from '../src/index.js';

const closure: RillClosure = { [CLOSURE_BRAND]: true, params: [] };

/** A list (or dict) chain `n` deep, built without recursion, holding `leaf` innermost. */
function chain(n: number, kind: 'list' | 'dict', leaf: RillValue = 1): RillValue {
  let v: RillValue = leaf;
  for (let i = 0; i < n; i++) v = kind === 'list' ? Object.freeze([v]) : new Map([['k', v]]);
  return v;
}

function chainText(n: number, kind: 'list' | 'dict'): string {
  return kind === 'list'
    ? '['.repeat(n) + '1' + ']'.repeat(n)
    : '{"k":'.repeat(n) + '1' + '}'.repeat(n);
}

/** What a call did: 'ok', or the code of the RillError it threw; anything else fails. */
function outcome(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (error) {
    if (RillError.is(error) && isErrorCode(error.code)) return error.code;
    throw new Error(`not a coded RillError: ${String(error)}`, { cause: error });
  }
}

const scalar = fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.constant<RillValue>(closure));

const { value: arbValue } = fc.letrec<{ value: RillValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((a) => Object.freeze(a) as RillValue),
    fc
      .array(fc.tuple(fc.string(), tie('value')), { maxLength: 4 })
      .map((entries) => new Map(entries) as RillValue),
  ),
}));

// Values with a JSON form: finite numbers, no closures.
const { json: arbJsonValue } = fc.letrec<{ json: RillValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.array(tie('json'), { maxLength: 4 }).map((a) => Object.freeze(a) as RillValue),
    fc
      .array(fc.tuple(fc.string(), tie('json')), { maxLength: 4 })
      .map((entries) => new Map(entries) as RillValue),
  ),
}));

const DEPTHS = [1_000, 10_000, 100_000];

// Every public converter and formatter, each reduced to "returns or throws a coded error".
const CONVERTERS: readonly [string, (v: RillValue) => unknown][] = [
  ['formatValue', (v) => formatValue(v)],
  ['stringifyValue', (v) => stringifyValue(v)],
  ['stringifyValue indented', (v) => stringifyValue(v, 2)],
  ['stringifyValue limited', (v) => stringifyValue(v, 0, DEFAULT_MAX_DEPTH)],
  ['toHostValue', (v) => toHostValue(v)],
  ['fromHostValue', (v) => fromHostValue(v)],
  ['fromHostValue of host data', (v) => fromHostValue(toHostValue(v))],
  ['valuesEqual', (v) => valuesEqual(v, v)],
  ['valuesEqual with a copy', (v) => valuesEqual(v, fromHostValue(toHostValue(v), 'v', Infinity))],
];

describe('converters and formatters at any depth', () => {
  it.each(CONVERTERS)('%s: random values return or throw a coded error', (_name, convert) => {
    fc.assert(
      fc.property(arbValue, (v) => {
        outcome(() => convert(v));
      }),
    );
  });

  for (const n of DEPTHS) {
    for (const kind of ['list', 'dict'] as const) {
      it.each(CONVERTERS)(
        `%s: a ${kind} chain ${n} deep never throws a raw error`,
        (_name, convert) => {
          outcome(() => convert(chain(n, kind)));
        },
      );

      it(`JSON readers: a ${kind} chain ${n} deep is refused past the limit, read below it`, () => {
        const text = chainText(n, kind);
        const expected = n > DEFAULT_MAX_DEPTH ? 'LIMIT_VALUE_DEPTH' : 'ok';
        expect(outcome(() => parseJsonValue(text))).toBe(expected);
        expect(outcome(() => fromJsonData(JSON.parse(text), '$'))).toBe(expected);
        const unlimited = parseJsonValue(text, Infinity);
        expect(depthOf(unlimited)).toBe(n);
        expect(stringifyValue(unlimited)).toBe(text);
      });
    }
  }

  it('formatters and equality give exact answers on a 100,000 deep chain', () => {
    const n = 100_000;
    const deep = chain(n, 'list');
    expect(stringifyValue(deep)).toBe(chainText(n, 'list'));
    expect(formatValue(chain(3, 'dict'))).toBe('[k: [k: [k: 1]]]');
    expect(formatValue(deep)).toBe('['.repeat(n) + '1' + ']'.repeat(n));
    expect(valuesEqual(deep, chain(n, 'list'))).toBe(true);
    expect(valuesEqual(deep, chain(n, 'list', 2))).toBe(false);
    let host = toHostValue(deep);
    for (let i = 0; i < n; i++) host = (host as unknown[])[0];
    expect(host).toBe(1);
  });

  it('indented output of a deep value: exact below the engine limits, LIMIT_VALUE_SIZE past them', () => {
    expect(stringifyValue(chain(2, 'list'), 2)).toBe('[\n  [\n    1\n  ]\n]');
    // 100,000 levels of indentation are ~10^10 characters: more than a string can hold.
    expect(outcome(() => stringifyValue(chain(100_000, 'list'), 2))).toBe('LIMIT_VALUE_SIZE');
  });
});

describe('round trips up to the depth limit', () => {
  it('stringify then parse gives an equal value', () => {
    fc.assert(
      fc.property(arbJsonValue, (v) => {
        expect(valuesEqual(parseJsonValue(stringifyValue(v)), v)).toBe(true);
        expect(valuesEqual(parseJsonValue(stringifyValue(v, 1)), v)).toBe(true);
      }),
    );
  });

  it('toHostValue then fromHostValue gives an equal value', () => {
    fc.assert(
      // NaN equals nothing, itself included, so values holding one never compare equal.
      fc.property(arbValue, (v) => {
        fc.pre(!formatValue(v).includes('NaN'));
        expect(valuesEqual(fromHostValue(toHostValue(v)), v)).toBe(true);
      }),
    );
  });

  it.each(['list', 'dict'] as const)(
    'a %s exactly at the limit survives both round trips',
    (kind) => {
      const v = chain(DEFAULT_MAX_DEPTH, kind);
      expect(valuesEqual(parseJsonValue(stringifyValue(v)), v)).toBe(true);
      expect(valuesEqual(fromHostValue(toHostValue(v)), v)).toBe(true);
    },
  );
});

describe('depth limits and records', () => {
  it('fromHostValue refuses past maxDepth, naming the limit and where it was passed', () => {
    const error = (() => {
      try {
        fromHostValue({ a: [[1]] }, 'result', 2);
      } catch (e) {
        return e as RillError;
      }
      throw new Error('expected LIMIT_VALUE_DEPTH');
    })();
    expect(error.code).toBe('LIMIT_VALUE_DEPTH');
    expect(error.details).toEqual({ limit: 2, path: 'result.a[0]' });
    expect(depthOf(fromHostValue({ a: [[1]] }, 'result', 3))).toBe(3);
    expect(outcome(() => fromHostValue(toHostValue(chain(1_001, 'list'))))).toBe(
      'LIMIT_VALUE_DEPTH',
    );
  });

  it('fromHostValue refuses a cyclic host value by the limit', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(outcome(() => fromHostValue(cyclic))).toBe('LIMIT_VALUE_DEPTH');
  });

  it('values built by fromHostValue report their depth', () => {
    fc.assert(
      fc.property(arbValue, (v) => {
        const built = fromHostValue(toHostValue(v));
        expect(depthOf(built)).toBe(trueDepth(v));
      }),
    );
  });

  it('values fromHostValue keeps as they are still report their depth', () => {
    const frozen = Object.freeze([Object.freeze([Object.freeze([1])]), 2]);
    const kept = fromHostValue(frozen);
    expect(kept).toBe(frozen);
    expect(depthOf(kept)).toBe(3);
    const sealed = parseJsonValue('[[[[1]]]]');
    expect(fromHostValue(sealed)).toBe(sealed);
    expect(depthOf(fromHostValue(Object.freeze([sealed])))).toBe(5);
    expect(outcome(() => fromHostValue([sealed], 'v', 4))).toBe('LIMIT_VALUE_DEPTH');
  });

  it('values built by parseJsonValue and fromJsonData report their depth, on every path', () => {
    fc.assert(
      fc.property(arbJsonValue, (v) => {
        const text = stringifyValue(v);
        expect(depthOf(parseJsonValue(text))).toBe(trueDepth(v));
        expect(depthOf(fromJsonData(JSON.parse(text), '$'))).toBe(trueDepth(v));
      }),
    );
    // Integer-like keys take the order-keeping parser; deep data the iterative converter.
    expect(depthOf(parseJsonValue('{"1":[{"2":[]}],"a":3}'))).toBe(4);
    expect(depthOf(fromJsonData(JSON.parse(chainText(200, 'dict')), '$'))).toBe(200);
  });

  it('parseJsonValue and fromJsonData report the limit and the path', () => {
    for (const run of [
      () => parseJsonValue('{"a":[1,[[2]]]}', 2),
      () => parseJsonValue('{"1":[1,[[2]]]}', 2),
      () => fromJsonData({ a: [1, [[2]]] }, '$', 2),
    ]) {
      try {
        run();
        throw new Error('expected LIMIT_VALUE_DEPTH');
      } catch (error) {
        expect((error as RillError).code).toBe('LIMIT_VALUE_DEPTH');
        expect((error as RillError).details['limit']).toBe(2);
        expect(String((error as RillError).details['path'])).toMatch(/^\$\.(a|1)\[1\]$/);
      }
    }
  });

  it('a null deep inside is still EVAL_INVALID_JSON with its path', () => {
    try {
      fromJsonData(JSON.parse('[' + '[1,'.repeat(100) + 'null' + ']'.repeat(101)), '$');
      throw new Error('expected EVAL_INVALID_JSON');
    } catch (error) {
      expect((error as RillError).code).toBe('EVAL_INVALID_JSON');
      expect((error as RillError).details['path']).toBe('$' + '[0]' + '[1]'.repeat(100));
    }
  });
});

/** Depth by the definition, computed recursively (test values are shallow). */
function trueDepth(v: RillValue): number {
  if (Array.isArray(v)) return 1 + Math.max(0, ...(v as RillValue[]).map(trueDepth));
  if (v instanceof Map)
    return 1 + Math.max(0, ...[...(v as Map<string, RillValue>).values()].map(trueDepth));
  return 0;
}
