import { describe, expect, it } from 'vitest';
import { type ErrorCode, formatValue, type HostFunction, type RillValue } from '@rillkit/core';
import { expectCode, run, runData } from './helpers.js';

// Runtime decisions the spec leaves open (see the runtime notes in the reply and
// docs/ref-language.md). Rows: source -> result as a rill literal, or -> error code.
type Row = readonly [string, string | { code: ErrorCode }];
const fails = (code: ErrorCode) => ({ code });
const id: HostFunction = { params: [{ name: 'v', type: 'any' }], fn: ([v]) => v as RillValue };

async function check([source, expected]: Row): Promise<void> {
  if (typeof expected === 'string')
    expect(formatValue(await run(source, { functions: { id } }))).toBe(expected);
  else await expectCode(source, expected.code, { functions: { id } });
}

describe('?? applies only to a missing field or index in the access chain', () => {
  it.each<Row>([
    ['[a: 1].b ?? 0', '0'],
    ['[a: [b: 1]].a.c ?? 0', '0'],
    ['[a: 1].x.y.z ?? 0', '0'],
    ['[1, 2][5] ?? "none"', '"none"'],
    ['"ab"[-3] ?? "none"', '"none"'],
    ['[k: 1]["j"] ?? 2', '2'],
    ['[a: 1].a ?? 0', '1'],
    ['$undefined ?? 0', fails('EVAL_UNDEFINED_VARIABLE')],
    ['[1][$undefined] ?? 0', fails('EVAL_UNDEFINED_VARIABLE')],
    ['[1]["x"] ?? 0', fails('EVAL_TYPE_MISMATCH')],
    ['[1][0.5] ?? 0', fails('EVAL_INVALID_ARGUMENT')],
    ['[a: 1].a.b ?? 0', fails('EVAL_UNKNOWN_METHOD')],
    ['[].head ?? 0', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1].at(5) ?? 0', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['id([a: 1]).b ?? 0', '0'],
    ['id(1 / 0) ?? 0', fails('EVAL_DIVISION_BY_ZERO')],
  ])('%s', (...row) => check(row));
});

describe('member access resolution', () => {
  it.each<Row>([
    ['[len: 7].len', '7'],
    ['[a: 1].len', '1'],
    ['[a: 1].keys', '["a"]'],
    ['[a: 1].missing', fails('EVAL_MISSING_FIELD')],
    ['"abc".len', '3'],
    ['"abc".nope', fails('EVAL_UNKNOWN_METHOD')],
    ['5.len', fails('EVAL_UNKNOWN_METHOD')],
    ['"abc".keys', fails('EVAL_UNKNOWN_METHOD')],
    ['[a: 1].?a', 'true'],
    ['[a: 1].?b', 'false'],
    ['"a".?len', 'false'],
  ])('%s', (...row) => check(row));

  it('suggests a close method name', async () => {
    const error = await expectCode('"abc".uper', 'EVAL_UNKNOWN_METHOD');
    expect(error.details).toMatchObject({ name: 'uper', suggestion: 'upper', receiver: 'string' });
  });
});

describe('strings are code points', () => {
  it.each<Row>([
    ['"a😀b".len', '3'],
    ['"a😀b"[1]', '"😀"'],
    ['"a😀b"[-1]', '"b"'],
    ['"a😀b".at(1)', '"😀"'],
    ['"😀b".head', '"😀"'],
    ['"a😀".tail', '"😀"'],
    ['"a😀bc".slice(1, 3)', '"😀b"'],
    ['"a😀b" -> each { $ } -> .len', '3'],
    ['"a😀b".split("")', '["a", "😀", "b"]'],
    ['"a😀b" -> :>list', '["a", "😀", "b"]'],
    ['"😀" > "\uffff"', 'true'],
    ['"abc" < "abd"', 'true'],
    ['"" < "a"', 'true'],
  ])('%s', (...row) => check(row));
});

describe('methods', () => {
  it.each<Row>([
    ['"a-b-c".replace("-", "$&")', '"a$&b-c"'],
    ['"a-b-c".replace_all("-", "$1")', '"a$1b$1c"'],
    ['"abc".replace("", "x")', fails('EVAL_INVALID_ARGUMENT')],
    ['"a\\nb\\n".lines', '["a", "b"]'],
    ['"a\\r\\nb".lines', '["a", "b"]'],
    ['"".lines', '[]'],
    ['[1, "a", [2]].join("|")', '"1|a|[2]"'],
    ['[1, 2, 3].slice(-2)', '[2, 3]'],
    ['[1, 2, 3].slice(2, 1)', '[]'],
    ['"abc".slice(0, 99)', '"abc"'],
    ['[1, 2].slice(0.5)', fails('EVAL_INVALID_ARGUMENT')],
    ['[[1], 2].has([1])', 'true'],
    ['[[1], 2].contains([2])', 'false'],
    ['[a: 1].has("a")', 'true'],
    ['[a: 1].has(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['"abc".has("bc")', 'true'],
    ['[a: 1, b: 2].entries', '[[key: "a", value: 1], [key: "b", value: 2]]'],
    ['[].head', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['"".tail', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1].at(1)', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1].at(-1)', '1'],
    ['"abc".split()', fails('EVAL_ARGUMENT_COUNT')],
    ['"abc".upper(1)', fails('EVAL_ARGUMENT_COUNT')],
    ['"abc".split(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['"abc".is_match("^a.c$")', 'true'],
    ['"abc".is_match("B")', 'false'],
    ['"abc".is_match("(?i)B")', 'true'],
    ['"abc".is_match("(")', fails('EVAL_INVALID_ARGUMENT')],
    ['"abc".is_match("(a)\\\\1")', fails('EVAL_INVALID_ARGUMENT')],
  ])('%s', (...row) => check(row));

  it('matches hostile regexes in linear time', async () => {
    const started = performance.now();
    const result = await run('$s.is_match("^(a+)+$")', {
      variables: { s: `${'a'.repeat(50_000)}!` },
    });
    expect(result).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('conversions', () => {
  it.each<Row>([
    ['1 -> :>string', '"1"'],
    ['0.5 -> :>string', '"0.5"'],
    ['true -> :>string', '"true"'],
    ['[1, "a"] -> :>string', '"[1, \\"a\\"]"'],
    ['[a: 1] -> :>string', '"[a: 1]"'],
    ['" 42 " -> :>number', '42'],
    ['"-1.5e3" -> :>number', '-1500'],
    ['".5" -> :>number', '0.5'],
    ['"" -> :>number', fails('EVAL_CONVERSION_FAILED')],
    ['"0x10" -> :>number', fails('EVAL_CONVERSION_FAILED')],
    ['"Infinity" -> :>number', fails('EVAL_CONVERSION_FAILED')],
    ['"1e999" -> :>number', fails('EVAL_CONVERSION_FAILED')],
    ['"12abc" -> :>number', fails('EVAL_CONVERSION_FAILED')],
    ['true -> :>number', fails('EVAL_CONVERSION_FAILED')],
    ['"true" -> :>bool', 'true'],
    ['"false" -> :>bool', 'false'],
    ['"yes" -> :>bool', fails('EVAL_CONVERSION_FAILED')],
    ['1 -> :>bool', fails('EVAL_CONVERSION_FAILED')],
    ['[a: 1] -> :>list', '[[key: "a", value: 1]]'],
    ['[[key: "a", value: 1]] -> :>dict', '[a: 1]'],
    ['[1] -> :>dict', fails('EVAL_CONVERSION_FAILED')],
    ['5 -> :>list', fails('EVAL_CONVERSION_FAILED')],
    ['5 -> :>closure', fails('EVAL_CONVERSION_FAILED')],
    ['5 -> :>any', '5'],
    ['5:number', '5'],
    ['5:string', fails('EVAL_TYPE_ASSERTION')],
    ['5:?string', 'false'],
    ['{ 1 }:?closure', 'true'],
  ])('%s', (...row) => check(row));

  it('interpolation and :>string agree', async () => {
    expect(await runData('[a: [1, "x"]] => $v\n("{$v}" == ($v -> :>string))')).toBe(true);
  });
});

describe('closures and scope', () => {
  it.each<Row>([
    ['|x| ($x * 2) => $d\n$d(4)', '8'],
    ['|x: number| $x => $f\n$f("a")', fails('EVAL_ARGUMENT_TYPE')],
    ['|x| $x => $f\n$f()', fails('EVAL_ARGUMENT_COUNT')],
    ['|x| $x => $f\n$f(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
    ['|x: number = "a"| $x => $f\n$f()', fails('EVAL_ARGUMENT_TYPE')],
    ['|x = 2, y = $x| $y => $f\n$f()', fails('EVAL_UNDEFINED_VARIABLE')],
    ['5 => $n\n|x = $n| $x => $f\n6 => $n\n$f()', '6'],
    ['|x| { $x + 1 => $x\n$x } => $f\n$f(1)', '2'],
    ['1 => $a\n|x| { 2 => $a } => $f\n$f(0)', fails('EVAL_OUTER_REBIND')],
    ['"outer" -> { { $ } } => $blk\n$blk()', '"outer"'],
    ['{ $ } => $blk\n$blk(7)', '7'],
    ['{ $ } => $blk\n$blk(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
    ['{ $ * 2 } => $dbl\n4 -> $dbl()', '8'],
    ['|a, b = 1| ($a + $b) => $f\n4 -> $f()', '5'],
    ['5 => $x\n$x()', fails('EVAL_NOT_CALLABLE')],
    ['|| 1 => $f\n2 -> $f', fails('EVAL_ARGUMENT_COUNT')],
    ['[1] -> each { 1 => $t\n$t }\n$t', fails('EVAL_UNDEFINED_VARIABLE')],
    ['1 -> { 2 => $inner }\n$inner', fails('EVAL_UNDEFINED_VARIABLE')],
    ['true ? ("x" => $c)\n$c', '"x"'],
    ['$', fails('EVAL_UNDEFINED_VARIABLE')],
    ['$@', fails('EVAL_UNDEFINED_VARIABLE')],
    ['[1, 2] -> fold(0) { [10] -> each { $@ } }', '[[0]]'],
    ['return 5\n6', '5'],
    ['|| { break } => $f\n[1] -> each { $f() }', fails('EVAL_BREAK_OUTSIDE_LOOP')],
  ])('%s', (...row) => check(row));

  it('reports details.name for unbound variables', async () => {
    expect((await expectCode('$missing', 'EVAL_UNDEFINED_VARIABLE')).details.name).toBe('missing');
    expect((await expectCode('$', 'EVAL_UNDEFINED_VARIABLE')).details.name).toBe('$');
  });
});

describe('errors carry their location', () => {
  it('points at the failing node', async () => {
    const error = await expectCode('1 => $a\n[1, 2] -> map { $ / 0 }', 'EVAL_DIVISION_BY_ZERO');
    expect(error.span?.start.line).toBe(2);
    expect(error.source?.name).toBe('test.rill');
  });

  it('reports a value too large for the engine as LIMIT_VALUE_SIZE', async () => {
    await expectCode('"x" -> (true) @ { "{$}{$}" }', 'LIMIT_VALUE_SIZE', {
      limits: { iterations: 100, memory: 2 ** 40 },
    });
  });

  it('script errors carry their message', async () => {
    expect((await expectCode('error "bad {1 + 1}"', 'EVAL_SCRIPT_ERROR')).details.message).toBe(
      'bad 2',
    );
    expect((await expectCode('assert false "nope"', 'EVAL_ASSERTION_FAILED')).details.message).toBe(
      'nope',
    );
  });
});

describe('values too large to walk', () => {
  // Ten doublings share structure: cheap to build, 2^20 leaves to walk.
  const huge = 'range(0, 22) -> fold([1]) { [$@, $@] } => $big\n';
  it.each([
    [`${huge}"{$big}"`],
    [`${huge}json($big)`],
    [`${huge}$big -> :>string`],
    [`${huge}$big == ([1] -> { $ })`],
    [`${huge}[$big].has([1])`],
    [`${huge}[$big].join(",")`],
  ])('%s fails fast with LIMIT_VALUE_SIZE', async (source) => {
    const started = performance.now();
    await expectCode(source, 'LIMIT_VALUE_SIZE');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('log refuses to render it for the host', async () => {
    await expectCode(`${huge}log($big)`, 'LIMIT_VALUE_SIZE', {
      callbacks: { onLog: () => undefined },
    });
  });

  it('compares identical structure without walking it', async () => {
    expect(await run(`${huge}$big == $big`)).toBe(true);
  });
});
