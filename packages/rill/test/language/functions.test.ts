import { describe, expect, it } from 'vitest';
import { type RillValue, toHostValue } from '@rillkit/core';
import { fails, runError, runValue, table } from './run.js';

const raw = String.raw;

describe('log(v)', () => {
  async function logged(source: string): Promise<{ result: unknown; calls: [unknown, string][] }> {
    const calls: [unknown, string][] = [];
    const result = await runValue(source, {
      callbacks: { onLog: (value: RillValue, text: string) => calls.push([toHostValue(value), text]) },
    });
    return { result: toHostValue(result), calls };
  }

  it('passes a string through and logs it as-is', async () => {
    expect(await logged('log("hi")')).toEqual({ result: 'hi', calls: [['hi', 'hi']] });
  });

  it('logs non-strings as rill literals', async () => {
    expect(await logged('log([1, "a"])')).toEqual({ result: [1, 'a'], calls: [[[1, 'a'], '[1, "a"]']] });
    expect(await logged('log([a: true])')).toEqual({ result: { a: true }, calls: [[{ a: true }, '[a: true]']] });
    expect(await logged('log(3)')).toEqual({ result: 3, calls: [[3, '3']] });
  });

  it('works as a bare pipe target and with empty parens', async () => {
    expect(await logged('"x" -> log -> .upper')).toEqual({ result: 'X', calls: [['x', 'x']] });
    expect(await logged('5 -> log() -> ($ + 1)')).toEqual({ result: 6, calls: [[5, '5']] });
  });

  it('logs in order, once per call', async () => {
    expect(await logged('[1, 2, 3] -> each { log($) }')).toEqual({
      result: [1, 2, 3],
      calls: [
        [1, '1'],
        [2, '2'],
        [3, '3'],
      ],
    });
  });

  table([
    // Without an onLog callback log still passes its value through.
    ['log("quiet")', 'quiet'],
    ['log(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
  ]);
});

describe('json(v)', () => {
  table([
    ['json([a: 1, b: [true, "x"]])', '{"a":1,"b":[true,"x"]}'],
    // Dict key order is kept.
    ['json([b: 1, a: 2, "10": 3])', '{"b":1,"a":2,"10":3}'],
    ['json("s")', '"s"'],
    ['json(1.5)', '1.5'],
    ['json(false)', 'false'],
    ['json([])', '[]'],
    ['json([:])', '{}'],
    [raw`json("q\"uote")`, raw`"q\"uote"`],
    ['[1, [2]] -> json', '[1,[2]]'],
    ['json(|x| $x)', fails('EVAL_NOT_SERIALIZABLE')],
    ['json([f: { 1 }])', fails('EVAL_NOT_SERIALIZABLE')],
    ['json()', fails('EVAL_ARGUMENT_COUNT')],
    ['json(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
  ]);
});

describe('parse_json(s)', () => {
  table([
    // `{` starts an interpolation inside rill strings, so JSON braces are escaped.
    [raw`parse_json("\{\"b\": 1, \"a\": [1, 2.5, \"x\", true]\}")`, { b: 1, a: [1, 2.5, 'x', true] }],
    // Key order is kept, integer-like keys included.
    [raw`parse_json("\{\"2\": 1, \"1\": 2\}").keys`, ['2', '1']],
    ['parse_json("42")', 42],
    [raw`parse_json("\"s\"")`, 's'],
    ['parse_json("[]")', []],
    ['parse_json("\\{\\}")', {}],
    ['[a: [1, 2], b: "x"] -> json -> parse_json', { a: [1, 2], b: 'x' }],
    ['([b: 1, a: 2] -> json -> parse_json) == [b: 1, a: 2]', true],
    ['parse_json("null")', fails('EVAL_INVALID_JSON')],
    ['parse_json("[1, null]")', fails('EVAL_INVALID_JSON')],
    [raw`parse_json("\{\"a\": null\}")`, fails('EVAL_INVALID_JSON')],
    ['parse_json("\\{")', fails('EVAL_INVALID_JSON')],
    ['parse_json("")', fails('EVAL_INVALID_JSON')],
    ['parse_json("nope")', fails('EVAL_INVALID_JSON')],
    ['parse_json(5)', fails('EVAL_ARGUMENT_TYPE')],
    ['parse_json()', fails('EVAL_ARGUMENT_COUNT')],
  ]);
});

describe('range(start, stop[, step])', () => {
  table([
    ['range(0, 3)', [0, 1, 2]],
    ['range(2, 5)', [2, 3, 4]],
    ['range(2, 2)', []],
    ['range(5, 0)', []],
    ['range(-2, 1)', [-2, -1, 0]],
    ['range(0, 10, 3)', [0, 3, 6, 9]],
    ['range(3, 0, -1)', [3, 2, 1]],
    ['range(0, 1, 0.25)', [0, 0.25, 0.5, 0.75]],
    ['range(0, 3) -> map { $ * $ }', [0, 1, 4]],
    ['range(0, 3, 0)', fails('EVAL_INVALID_ARGUMENT')],
    ['range("a", 2)', fails('EVAL_ARGUMENT_TYPE')],
    ['range(0, "2")', fails('EVAL_ARGUMENT_TYPE')],
    ['range(0, 1, 2, 3)', fails('EVAL_ARGUMENT_COUNT')],
    ['range(0, 1e12)', fails('LIMIT_ITERATIONS')],
  ]);
});

describe('type(v)', () => {
  table([
    ['type("a")', 'string'],
    ['type(1)', 'number'],
    ['type(true)', 'bool'],
    ['type([])', 'list'],
    ['type([:])', 'dict'],
    ['type([a: 1])', 'dict'],
    ['type(|x| $x)', 'closure'],
    ['type({ 1 })', 'closure'],
    ['[1, "a", [:]] -> map { type($) }', ['number', 'string', 'dict']],
    // A bare function name is not a collection body (LANGUAGE.md §6 lists the body forms).
    ['[1] -> map type', fails('PARSE_UNEXPECTED_TOKEN', { line: 1, column: 12 })],
    ['type()', fails('EVAL_ARGUMENT_COUNT')],
    ['type(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
  ]);
});

describe('unknown functions', () => {
  table([
    ['frobnicate(1)', fails('EVAL_UNKNOWN_FUNCTION', { line: 1, column: 1, details: { name: 'frobnicate' } })],
    ['1 -> nosuch', fails('EVAL_UNKNOWN_FUNCTION', { details: { name: 'nosuch' } })],
    ['ns::nosuch(1)', fails('EVAL_UNKNOWN_FUNCTION', { details: { name: 'ns::nosuch' } })],
    ['1\n\n  frob()', fails('EVAL_UNKNOWN_FUNCTION', { line: 3, column: 3 })],
    ['lgo(1)', fails('EVAL_UNKNOWN_FUNCTION', { details: { name: 'lgo', suggestion: 'log' } })],
    ['typ(1)', fails('EVAL_UNKNOWN_FUNCTION', { details: { name: 'typ', suggestion: 'type' } })],
    ['parse_jsn("1")', fails('EVAL_UNKNOWN_FUNCTION', { details: { suggestion: 'parse_json' } })],
  ]);

  it('does not suggest anything for a name far from every function', async () => {
    const error = await runError('zzzzzzzzzz(1)');
    expect(error.code).toBe('EVAL_UNKNOWN_FUNCTION');
    expect(error.details['suggestion']).toBeUndefined();
  });
});

describe('closures', () => {
  table([
    ['|x, y = 10| ($x + $y) => $add\n$add(5)', 15],
    ['|x, y = 10| ($x + $y) => $add\n$add(5, 1)', 6],
    ['|x, y = 10| ($x + $y) => $add\n5 -> $add', 15],
    ['|a, b| { $a * $b } => $mul\n$mul(3, 4)', 12],
    ['|| 42 => $f\n$f()', 42],
    ['|x,| $x => $f\n$f(1)', 1],
    ['|x: number| ($x * 2) => $f\n$f(4)', 8],
    ['|s: string = "d"| $s => $f\n[$f(), $f("e")]', ['d', 'e']],
    ['|x: any| $x => $f\n[$f(1), $f("a")]', [1, 'a']],
    ['|l: list, d: dict, c: closure, b: bool| type($c) => $f\n$f([], [:], { 1 }, true)', 'closure'],
    // Defaults are evaluated in the defining scope.
    ['5 => $base\n|x = $base| $x => $f\n$f()', 5],
    // Closures are values: stored in lists and dicts, passed and returned.
    ['[f: |x| ($x + 1)] => $d\n$d.f => $g\n$g(1)', 2],
    ['|n| (|x| ($x * $n)) => $times\n$times(3) => $triple\n$triple(5)', 15],
    ['|f, v| $f($v) => $apply\n$apply(|x| ($x - 1), 10)', 9],
    // Recursion through a captured variable.
    ['|n| { ($n <= 1) ? 1 ! ($n * $fact($n - 1)) } => $fact\n$fact(5)', 120],
    ['|n| { ($n <= 1) ? $n ! ($fib($n - 1) + $fib($n - 2)) } => $fib\n$fib(10)', 55],
    // A closure body is a postfix-level expression: a trailing `? !` applies to the closure.
    ['|n| ($n > 0) ? "a" ! "b"', fails('EVAL_CONDITION_NOT_BOOL')],
    // Bad calls.
    ['|x, y = 10| ($x + $y) => $add\n$add()', fails('EVAL_ARGUMENT_COUNT', { line: 2, column: 1 })],
    ['|x| $x => $f\n$f(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
    ['|x: number| $x => $f\n$f("a")', fails('EVAL_ARGUMENT_TYPE')],
    ['|x: list| $x => $f\n$f([:])', fails('EVAL_ARGUMENT_TYPE')],
    ['5 => $x\n$x(1)', fails('EVAL_NOT_CALLABLE', { line: 2, column: 1 })],
    ['"s" => $x\n1 -> $x', fails('EVAL_NOT_CALLABLE')],
    ['$nope(1)', fails('EVAL_UNDEFINED_VARIABLE', { details: { name: 'nope' } })],
    ['|x, x| 1', fails('PARSE_DUPLICATE_PARAM', { line: 1, column: 5 })],
    ['|x: nosuchtype| $x', fails('PARSE_UNKNOWN_TYPE', { line: 1, column: 5 })],
    ['|x| ', fails('PARSE_UNEXPECTED_END')],
  ]);
});

describe('call depth', () => {
  table([
    ['|n| $f($n + 1) => $f\n$f(0)', fails('LIMIT_CALL_DEPTH')],
    ['|n| { ($n <= 0) ? 0 ! $f($n - 1) } => $f\n$f(8)', fails('LIMIT_CALL_DEPTH'), { limits: { callDepth: 5 } }],
    ['|n| { ($n <= 0) ? 0 ! $f($n - 1) } => $f\n$f(3)', 0, { limits: { callDepth: 5 } }],
    // Deep recursion far past the default limit must not overflow the JS stack first.
    ['|n| { $f($n + 1) } => $f\n$f(0)', fails('LIMIT_CALL_DEPTH'), { limits: { callDepth: 100000 } }],
  ]);
});
