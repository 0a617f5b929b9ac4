import { describe, expect, it } from 'vitest';
import { check, fails, runError, table } from './run.js';

const raw = String.raw;

describe('.len', () => {
  table([
    ['"hello".len', 5],
    ['"".len', 0],
    // Strings are sequences of code points.
    ['"héllo".len', 5],
    ['"😀".len', 1],
    ['[1, 2, [3, 4]].len', 3],
    ['[].len', 0],
    ['[a: 1, b: 2].len', 2],
    ['[:].len', 0],
    ['"abc" -> .len', 3],
    ['5 -> .len', fails('EVAL_UNKNOWN_METHOD')],
    ['true -> .len', fails('EVAL_UNKNOWN_METHOD')],
    ['"abc".len(1)', fails('EVAL_ARGUMENT_COUNT')],
  ]);
});

describe('.empty', () => {
  table([
    ['"".empty', true],
    ['"a".empty', false],
    ['" ".empty', false],
    ['[].empty', true],
    ['[0].empty', false],
    ['[:].empty', true],
    ['[a: 1].empty', false],
    ['0 -> .empty', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('.trim .lower .upper', () => {
  table([
    ['"  a b  ".trim', 'a b'],
    [raw`"\t x \n".trim`, 'x'],
    ['"x".trim', 'x'],
    ['"AbC".lower', 'abc'],
    ['"AbC".upper', 'ABC'],
    ['"straße".upper', 'STRASSE'],
    ['"ÉCOLE".lower', 'école'],
    ['"a1-b".upper', 'A1-B'],
    ['[" a "] -> .trim', fails('EVAL_UNKNOWN_METHOD')],
    ['5 -> .lower', fails('EVAL_UNKNOWN_METHOD')],
    // On a dict, a `.name` that is neither a field nor a dict method is a missing field.
    ['[a: 1] -> .upper', fails('EVAL_MISSING_FIELD')],
  ]);
});

describe('.split(sep) .join(sep) .lines', () => {
  table([
    ['"a,b,,c".split(",")', ['a', 'b', '', 'c']],
    ['"a b c".split(" ")', ['a', 'b', 'c']],
    ['"abc".split(",")', ['abc']],
    ['"a::b::c".split("::")', ['a', 'b', 'c']],
    // The separator is literal text, not a regex.
    ['"a.b.c".split(".")', ['a', 'b', 'c']],
    ['"  hello world  " -> .trim -> .split(" ") -> .len', 2],
    // An empty separator splits into characters (code points).
    ['"a😀b".split("")', ['a', '😀', 'b']],
    // .join renders non-strings as interpolation does.
    ['[1, "a", true, [2]].join(",")', '1,a,true,[2]'],
    ['["a", "b"].join("-")', 'a-b'],
    ['["a"].join("-")', 'a'],
    ['[].join(",")', ''],
    ['["x", "y", "z"].join("")', 'xyz'],
    [raw`"a\nb\nc".lines`, ['a', 'b', 'c']],
    ['"one".lines', ['one']],
    // A final line break ends the last line; it does not start an empty one.
    [raw`"a\nb\n".lines`, ['a', 'b']],
    [raw`"a\n\nb".lines`, ['a', '', 'b']],
    ['"".lines', []],
    [raw`"a\r\nb".lines`, ['a', 'b']],
    ['"""\nfirst\nsecond""".lines', ['first', 'second']],
    ['"a b".split(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['"a b".split()', fails('EVAL_ARGUMENT_COUNT')],
    ['"a b".split(" ", " ")', fails('EVAL_ARGUMENT_COUNT')],
    ['[1, 2] -> .split(",")', fails('EVAL_UNKNOWN_METHOD')],
    ['["a"].join(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['["a"].join()', fails('EVAL_ARGUMENT_COUNT')],
    ['"ab".join(",")', fails('EVAL_UNKNOWN_METHOD')],
    ['[1].lines', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('.contains .starts_with .ends_with', () => {
  table([
    ['"hello".contains("ell")', true],
    ['"hello".contains("xyz")', false],
    ['"hello".contains("")', true],
    ['[1, 2].contains(2)', true],
    ['[1, 2].contains(3)', false],
    ['[[1], [a: 2]].contains([a: 2])', true],
    ['[1, 2].contains("1")', false],
    ['"hello".starts_with("he")', true],
    ['"hello".starts_with("lo")', false],
    ['"hello".ends_with("lo")', true],
    ['"hello".ends_with("he")', false],
    ['"abc".contains(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['"abc".starts_with(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['"abc".ends_with([])', fails('EVAL_ARGUMENT_TYPE')],
    ['"abc".contains()', fails('EVAL_ARGUMENT_COUNT')],
    ['5 -> .starts_with("5")', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('.replace (first, literal) and .replace_all (all, literal)', () => {
  table([
    ['"a.b.c".replace(".", "-")', 'a-b.c'],
    ['"a.b.c".replace_all(".", "-")', 'a-b-c'],
    ['"aaa".replace("a", "b")', 'baa'],
    ['"aaa".replace_all("a", "bb")', 'bbbbbb'],
    ['"abc".replace("x", "y")', 'abc'],
    ['"abc".replace_all("x", "y")', 'abc'],
    // Replacement text is literal: no `$&` / `$$` patterns.
    ['"ab".replace("a", "$&$&")', '$&$&b'],
    ['"aa".replace_all("a", "$$")', '$$$$'],
    ['"a+b".replace_all("+", " plus ")', 'a plus b'],
    ['"abc".replace("", "x")', fails('EVAL_INVALID_ARGUMENT')],
    ['"abc".replace_all("", "x")', fails('EVAL_INVALID_ARGUMENT')],
    ['"abc".replace("a")', fails('EVAL_ARGUMENT_COUNT')],
    ['"abc".replace_all("a", 1)', fails('EVAL_ARGUMENT_TYPE')],
    ['[1].replace("a", "b")', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('.is_match(regex)', () => {
  table([
    ['"abc123".is_match("[0-9]+")', true],
    ['"abc".is_match("^b")', false],
    ['"abc".is_match("^a.c$")', true],
    ['"ABC".is_match("abc")', false],
    ['"".is_match("")', true],
    ['"a".is_match("(")', fails('EVAL_INVALID_ARGUMENT')],
    ['"a".is_match(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['[1].is_match("1")', fails('EVAL_UNKNOWN_METHOD')],
  ]);

  it('does not backtrack catastrophically on a hostile pattern', { timeout: 3000 }, async () => {
    await check('range(0, 40) -> map { "a" } -> .join("") => $s\n"{$s}!".is_match("^(a+)+$")', false);
  });
});

describe('.head .tail .at(i)', () => {
  table([
    ['[1, 2, 3].head', 1],
    ['[1, 2, 3].tail', 3],
    ['[7].head', 7],
    ['[7].tail', 7],
    ['"héllo".head', 'h'],
    ['"héllo".tail', 'o'],
    ['"😀x".head', '😀'],
    ['[].head', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[].tail', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['"".head', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['5 -> .head', fails('EVAL_UNKNOWN_METHOD')],
    ['[1, 2, 3].at(1)', 2],
    ['[1, 2, 3].at(-1)', 3],
    ['"héllo".at(1)', 'é'],
    ['"héllo".at(-1)', 'o'],
    ['[1, 2, 3].at(3)', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1, 2, 3].at(-4)', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1, 2, 3].at("1")', fails('EVAL_ARGUMENT_TYPE')],
    ['[1, 2, 3].at(0.5)', fails('EVAL_INVALID_ARGUMENT')],
    ['[1, 2, 3].at()', fails('EVAL_ARGUMENT_COUNT')],
  ]);
});

describe('.has(v)', () => {
  table([
    ['[1, 2].has(2)', true],
    ['[1, 2].has(5)', false],
    ['[[1], [2]].has([1])', true],
    ['[a: 1].has("a")', true],
    ['[a: 1].has("b")', false],
    ['"abc".has("b")', true],
    ['"abc".has("z")', false],
    ['[a: 1].has(1)', fails('EVAL_ARGUMENT_TYPE')],
    ['5 -> .has(5)', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('.keys .values .entries', () => {
  table([
    ['[b: 1, a: 2].keys', ['b', 'a']],
    ['[b: 1, a: 2].values', [1, 2]],
    ['[b: 1, a: [2]].entries', [{ key: 'b', value: 1 }, { key: 'a', value: [2] }]],
    ['[:].keys', []],
    ['[:].values', []],
    ['[:].entries', []],
    ['[1, 2] -> .keys', fails('EVAL_UNKNOWN_METHOD')],
    ['"ab" -> .values', fails('EVAL_UNKNOWN_METHOD')],
    ['[1] -> .entries', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('.slice(start, end)', () => {
  table([
    ['[1, 2, 3, 4].slice(1, 3)', [2, 3]],
    ['[1, 2, 3, 4].slice(0, 4)', [1, 2, 3, 4]],
    ['[1, 2, 3].slice(1, 1)', []],
    ['"héllo".slice(1, 3)', 'él'],
    ['"a😀b".slice(1, 2)', '😀'],
    ['[1, 2] => $a\n$a -> .slice(0, 1)\n$a', [1, 2]],
    // End is optional; negative bounds count from the end; bounds are clamped.
    ['[1, 2, 3, 4].slice(2)', [3, 4]],
    ['[1, 2, 3].slice(-2, 3)', [2, 3]],
    ['"hello".slice(-3)', 'llo'],
    ['[1, 2, 3].slice(1, 99)', [2, 3]],
    ['[1, 2, 3].slice(2, 1)', []],
    ['"abc".slice(2, 1)', ''],
    ['[1, 2].slice()', fails('EVAL_ARGUMENT_COUNT')],
    ['[1, 2].slice("a", 1)', fails('EVAL_ARGUMENT_TYPE')],
    ['[1, 2].slice(0.5, 1)', fails('EVAL_INVALID_ARGUMENT')],
    ['[a: 1].slice(0, 1)', fails('EVAL_UNKNOWN_METHOD')],
  ]);
});

describe('method resolution', () => {
  table([
    // `.m(args)` is always a built-in method, even when a dict field of that name holds a closure.
    ['[f: |x| $x].f(1)', fails('EVAL_UNKNOWN_METHOD')],
    ['"a".frobnicate(1)', fails('EVAL_UNKNOWN_METHOD')],
    ['"abc".nope', fails('EVAL_UNKNOWN_METHOD', { line: 1, column: 1 })],
    ['"abc"\n  -> .nope', fails('EVAL_UNKNOWN_METHOD', { line: 2 })],
    ['"x".upper.lower.len', 1],
  ]);

  it('suggests a close method name', async () => {
    const error = await runError('"abc".uper');
    expect(error.code).toBe('EVAL_UNKNOWN_METHOD');
    expect(error.details).toMatchObject({ name: 'uper', suggestion: 'upper' });
  });

  it('suggests a close method name for a call with arguments', async () => {
    const error = await runError('"a,b".splt(",")');
    expect(error.code).toBe('EVAL_UNKNOWN_METHOD');
    expect(error.details).toMatchObject({ name: 'splt', suggestion: 'split' });
  });
});
