import { dict, showValue } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';
import { FAKE_CLOSURE } from './basics.js';

function nested(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : dict(['d', v]);
  return v;
}

/** Values of every type that must come back exactly: type, contents and dict key order. */
export const ROUND_TRIP_VALUES: readonly (readonly [label: string, value: unknown])[] = [
  ['empty string', ''],
  ['unicode string', 'héllo wörld — ☃ 😀 𝄞 中文'],
  ['control characters and quotes', 'a\u0000b\u0001c\n\t\r"\\/\u2028\u2029'],
  ['lone surrogate', 'x\ud800y'],
  ['JSON-looking string', '{"a":1}'],
  ['string "null"', 'null'],
  ['long string', 'x'.repeat(10_000)],
  ['zero', 0],
  ['negative integer', -1],
  ['fraction', 3.5],
  ['0.1 + 0.2', 0.1 + 0.2],
  ['huge', 1e300],
  ['max double', Number.MAX_VALUE],
  ['tiny', -1e-300],
  ['min subnormal', 5e-324],
  ['max safe integer', Number.MAX_SAFE_INTEGER],
  ['above 2^53', 2 ** 53 + 2],
  ['true', true],
  ['false', false],
  ['empty list', []],
  ['mixed list', [1, 'a', true, [], [[]], dict(), dict(['k', [1, 2]])]],
  ['empty dict', dict()],
  ['dict key order', dict(['b', 1], ['a', 2], ['c', 3])],
  [
    'integer-like dict keys keep order',
    dict(['10', 1], ['2', 2], ['1', 3], ['b', 4], ['a', 5], ['-1', 6], ['01', 7], ['0', 8]),
  ],
  ['special dict keys', dict(['__proto__', 1], ['constructor', 2], ['', 3], ['a.b', 4], ['😀', 5])],
  ['nested dicts and lists', dict(['z', [dict(['y', [1, dict(['x', 'deep'])]])]], ['a', dict()])],
  ['deep nesting', nested(40)],
];

/** §3 set/get: every value type round-trips exactly; closures are refused. */
export function valuesCases(reg: KvCaseRegistrar): void {
  for (const [label, value] of ROUND_TRIP_VALUES) {
    reg.test(`round-trips exactly: ${label}`, async (t) => {
      const kv = await t.open({ m: {} });
      await kv.expectCall(true, 'set', 'm', 'k', value);
      await kv.expectCall(value, 'get', 'm', 'k');
      await kv.expectCall(value, 'get_or', 'm', 'k', 'fallback');
      await kv.expectCall(dict(['k', value]), 'getAll', 'm');
      await kv.expectCall(dict(['k', value]), 'getMany', 'm', ['k']);
      await kv.expectCall(true, 'cas', 'm', 'k', value, 'swapped');
      await kv.expectCall(true, 'add', 'm', 'added', value);
      await kv.expectCall(value, 'get', 'm', 'added');
    });
  }

  reg.test('values written by a script literal round-trip with key order', async (t) => {
    const kv = await t.open({ m: {} });
    const result = await kv.run(
      [
        'kv::set("m", "d", [b: 1, "10": [x: "y"], a: [1, "two", false], "2": [:]])',
        'kv::get("m", "d")',
      ].join('\n'),
    );
    t.expect(showValue(result)).toBe('{"b":1,"10":{"x":"y"},"a":[1,"two",false],"2":{}}');
    const again = await kv.run('kv::get("m", "d") -> json');
    t.expect(again).toBe('{"b":1,"10":{"x":"y"},"a":[1,"two",false],"2":{}}');
  });

  reg.test('negative zero is stored as 0 (values cross the backend as JSON)', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', -0);
    const value = await kv.call('get', 'm', 'k');
    t.expect(Object.is(value, 0), `got ${String(value)}`).toBe(true);
  });

  reg.test('closures are refused by every writing function and change nothing', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', dict(['a', 1]));
    const before = await kv.snapshot('m');
    const code = 'KV_TYPE_MISMATCH';
    if (kv.via === 'script') {
      await kv.runFails(code, 'kv::set("m", "k", |x| ($x))');
      await kv.runFails(code, 'kv::set("m", "new", [1, |x| ($x)])');
      await kv.runFails(code, 'kv::set("m", "new", [f: { $ }])');
      await kv.runFails(code, 'kv::add("m", "new", |x| ($x))');
      await kv.runFails(code, 'kv::setMany("m", [ok: 1, bad: |x| ($x)])');
      await kv.runFails(code, 'kv::merge("m", "k", [f: |x| ($x)])');
      await kv.runFails(code, 'kv::cas("m", "k", [a: 1], |x| ($x))');
    } else {
      await kv.fails(code, 'set', 'm', 'k', FAKE_CLOSURE);
      await kv.fails(code, 'set', 'm', 'new', [1, FAKE_CLOSURE]);
      await kv.fails(code, 'set', 'm', 'new', dict(['f', FAKE_CLOSURE]));
      await kv.fails(code, 'add', 'm', 'new', FAKE_CLOSURE);
      await kv.fails(code, 'setMany', 'm', dict(['ok', 1], ['bad', FAKE_CLOSURE]));
      await kv.fails(code, 'merge', 'm', 'k', dict(['f', FAKE_CLOSURE]));
      await kv.fails(code, 'cas', 'm', 'k', dict(['a', 1]), FAKE_CLOSURE);
    }
    t.expect(await kv.snapshot('m')).toBe(before);
  });

  reg.test('non-finite numbers are refused (direct call)', async (t) => {
    const kv = await t.open({ m: {} }, 'direct');
    for (const n of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      await kv.fails('KV_TYPE_MISMATCH', 'set', 'm', 'k', n);
      await kv.fails('KV_TYPE_MISMATCH', 'set', 'm', 'k', [n]);
    }
    await kv.expectCall(false, 'has', 'm', 'k');
  });

  reg.test('incr never produces a non-finite number', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'n', Number.MAX_VALUE);
    const err = await t.expectCode(kv.call('incr', 'm', 'n', Number.MAX_VALUE), 'KV_NOT_A_NUMBER');
    t.expect(err.details['mount']).toBe('m');
    await kv.expectCall(Number.MAX_VALUE, 'get', 'm', 'n');
  });
}
