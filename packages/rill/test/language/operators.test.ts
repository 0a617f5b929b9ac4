import { describe } from 'vitest';
import { fails, table } from './run.js';

describe('arithmetic (numbers only)', () => {
  table([
    ['2 + 3', 5],
    ['5 - 8', -3],
    ['4 * 2.5', 10],
    ['7 / 2', 3.5],
    ['7 % 3', 1],
    ['7.5 % 2', 1.5],
    // The remainder takes the sign of the dividend (IEEE / JS semantics).
    ['-7 % 3', -1],
    ['0.1 + 0.2', 0.30000000000000004],
    ['10 - 3 - 2', 5],
    ['24 / 4 / 2', 3],
    ['2 * 3 % 4', 2],
    ['-(2 + 3)', -5],
    ['- -4', 4],
    ['1 / 0', fails('EVAL_DIVISION_BY_ZERO', { line: 1, column: 1 })],
    ['0 / 0', fails('EVAL_DIVISION_BY_ZERO')],
    ['5 % 0', fails('EVAL_DIVISION_BY_ZERO')],
    ['1\n2 + 4 / 0', fails('EVAL_DIVISION_BY_ZERO', { line: 2, column: 5 })],
    ['"5" + 1', fails('EVAL_TYPE_MISMATCH', { line: 1, column: 1 })],
    ['1 + "5"', fails('EVAL_TYPE_MISMATCH')],
    ['"a" + "b"', fails('EVAL_TYPE_MISMATCH')],
    ['"a" * 2', fails('EVAL_TYPE_MISMATCH')],
    ['[1] + [2]', fails('EVAL_TYPE_MISMATCH')],
    ['true + 1', fails('EVAL_TYPE_MISMATCH')],
    ['[a: 1] - 1', fails('EVAL_TYPE_MISMATCH')],
    ['"6" / "2"', fails('EVAL_TYPE_MISMATCH')],
    ['5 % "2"', fails('EVAL_TYPE_MISMATCH')],
    ['-"a"', fails('EVAL_TYPE_MISMATCH')],
    ['-true', fails('EVAL_TYPE_MISMATCH')],
  ]);
});

describe('comparison (numbers or strings of the same type)', () => {
  table([
    ['1 < 2', true],
    ['2 < 1', false],
    ['2 <= 2', true],
    ['3 <= 2', false],
    ['3 > 4', false],
    ['4 > 3', true],
    ['3 >= 3', true],
    ['2 >= 3', false],
    ['-1 < 0', true],
    ['"a" < "b"', true],
    ['"abc" < "abd"', true],
    ['"ab" < "abc"', true],
    ['"b" > "abc"', true],
    ['"B" < "a"', true],
    ['"a" <= "a"', true],
    ['"a" >= "b"', false],
    // Strings compare by code point: U+E000 sorts before U+1F600 (UTF-16 units would not).
    ['"\uE000" < "😀"', true],
    ['"😀" > "\uFFFF"', true],
    ['1 < "2"', fails('EVAL_TYPE_MISMATCH')],
    ['"1" > 0', fails('EVAL_TYPE_MISMATCH')],
    ['[1] < [2]', fails('EVAL_TYPE_MISMATCH')],
    ['true < false', fails('EVAL_TYPE_MISMATCH')],
    ['[a: 1] >= [a: 1]', fails('EVAL_TYPE_MISMATCH')],
  ]);
});

describe('equality (deep, by value)', () => {
  table([
    ['1 == 1', true],
    ['1 == 2', false],
    ['1 != 2', true],
    ['"a" == "a"', true],
    ['"a" != "a"', false],
    ['true == true', true],
    // Different types are simply unequal: no conversion, no error.
    ['1 == "1"', false],
    ['1 != "1"', true],
    ['true == "true"', false],
    ['[] == [:]', false],
    ['[1, [2, [3]]] == [1, [2, [3]]]', true],
    ['[1, 2] == [2, 1]', false],
    ['[1, 2] == [1, 2, 3]', false],
    ['[a: 1, b: [c: 2]] == [a: 1, b: [c: 2]]', true],
    // Dict equality ignores key order.
    ['[a: 1, b: 2] == [b: 2, a: 1]', true],
    ['[a: 1] != [a: 2]', true],
    ['[a: 1] == [a: 1, b: 2]', false],
    ['("x" -> [$, 1]) == ["x", 1]', true],
    // Closures compare by identity.
    ['|x| $x => $f\n$f == $f', true],
    ['|x| $x => $f\n|x| $x => $g\n$f == $g', false],
  ]);
});

describe('logical operators (bools only, short-circuit)', () => {
  table([
    ['true && true', true],
    ['true && false', false],
    ['false && true', false],
    ['false && false', false],
    ['true || false', true],
    ['false || true', true],
    ['false || false', false],
    ['true || true', true],
    ['!true', false],
    ['!false', true],
    ['!!true', true],
    ['!(1 == 2)', true],
    // Short-circuit: the right operand is never evaluated.
    ['false && (1 / 0 == 1)', false],
    ['true || $undefined', true],
    ['false && $undefined', false],
    // Non-bools are errors on either side.
    ['1 && true', fails('EVAL_CONDITION_NOT_BOOL')],
    ['true && 1', fails('EVAL_CONDITION_NOT_BOOL')],
    ['"" || true', fails('EVAL_CONDITION_NOT_BOOL')],
    ['false || "x"', fails('EVAL_CONDITION_NOT_BOOL')],
    ['!1', fails('EVAL_CONDITION_NOT_BOOL')],
    ['![]', fails('EVAL_CONDITION_NOT_BOOL')],
  ]);
});

describe('?? default (missing field / index only)', () => {
  table([
    ['[a: 1].b ?? 0', 0],
    ['[a: 1].a ?? 0', 1],
    ['[a: false].a ?? true', false],
    ['[1, 2][9] ?? "none"', 'none'],
    ['[1, 2][-3] ?? "none"', 'none'],
    ['[1, 2][1] ?? "none"', 2],
    ['"ab"[5] ?? "z"', 'z'],
    ['[a: 1]["b"] ?? 3', 3],
    ['[a: [b: 1]].a.c ?? 2', 2],
    ['[a: 1].b.c ?? 3', 3],
    ['[a: [1]].a[4] ?? 4', 4],
    ['[a: 1] => $d\n$d.missing ?? 0', 0],
    ['[1] => $l\n$l[9] ?? "none"', 'none'],
    // The right side is evaluated only when needed.
    ['[a: 1].a ?? (1 / 0)', 1],
    // Errors that are not a missing field/index in the left access chain propagate.
    ['$undefined ?? 1', fails('EVAL_UNDEFINED_VARIABLE')],
    ['$d.x ?? 1', fails('EVAL_UNDEFINED_VARIABLE')],
    ['(1 / 0) ?? 1', fails('EVAL_DIVISION_BY_ZERO')],
    ['[1][$nope] ?? 0', fails('EVAL_UNDEFINED_VARIABLE')],
    ['"a".nomethod ?? 1', fails('EVAL_UNKNOWN_METHOD')],
    ['json([a: 1].b) ?? "d"', fails('EVAL_MISSING_FIELD')],
    ['[1, 2][[a: 1].b] ?? 0', fails('EVAL_MISSING_FIELD')],
    ['[a: 1].b ?? (1 / 0)', fails('EVAL_DIVISION_BY_ZERO')],
  ]);
});

describe('conditional cond ? a ! b', () => {
  table([
    ['true ? 1 ! 2', 1],
    ['false ? 1 ! 2', 2],
    ['true ? 1', 1],
    // A missing else yields "".
    ['false ? 1', ''],
    ['false ? "a" ! true ? "b" ! "c"', 'b'],
    ['false ? "a" ! false ? "b" ! "c"', 'c'],
    ['true ? "a" ! false ? "b" ! "c"', 'a'],
    ['false ? "a" ! false ? "b"', ''],
    // The then-branch may itself be a conditional.
    ['true ? false ? 1 ! 2 ! 3', 2],
    ['(3 > 2) ? "big" ! "small"', 'big'],
    ['true ? { 1 + 1 } ! { 0 }', 2],
    ['false ? { 1 + 1 } ! { 0 }', 0],
    // Only the taken branch runs.
    ['true ? 1 ! (1 / 0)', 1],
    ['false ? (1 / 0) ! 2', 2],
    ['1 ? 2 ! 3', fails('EVAL_CONDITION_NOT_BOOL', { line: 1, column: 1 })],
    ['"" ? 2 ! 3', fails('EVAL_CONDITION_NOT_BOOL')],
    ['[] ? 2', fails('EVAL_CONDITION_NOT_BOOL')],
    ['true ? ', fails('PARSE_UNEXPECTED_END')],
    ['true ! 1', fails('PARSE_UNEXPECTED_TOKEN')],
  ]);
});

describe('postfix: member, index, existence', () => {
  table([
    ['[a: 1, b: 2].b', 2],
    ['["b c": 2]["b c"]', 2],
    ['[a: 1]["a"]', 1],
    ['[1, 2, 3][0]', 1],
    ['[1, 2, 3][2]', 3],
    ['[1, 2, 3][-1]', 3],
    ['[1, 2, 3][-3]', 1],
    ['[[1, 2], [3]][0][1]', 2],
    ['"abc"[0]', 'a'],
    ['"abc"[-1]', 'c'],
    ['"héllo"[1]', 'é'],
    ['"a😀b"[1]', '😀'],
    ['"a😀b"[2]', 'b'],
    ['[1, 2][1 + 0]', 2],
    ['[a: [b: [c: "deep"]]].a.b.c', 'deep'],
    ['[a: 1].c', fails('EVAL_MISSING_FIELD')],
    ['[a: 1]["z"]', fails('EVAL_MISSING_FIELD')],
    ['[1, 2, 3][3]', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1, 2, 3][-4]', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[][0]', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['"abc"[3]', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['""[0]', fails('EVAL_INDEX_OUT_OF_RANGE')],
    ['[1][0.5]', fails('EVAL_INVALID_ARGUMENT')],
    ['"ab"[1.5]', fails('EVAL_INVALID_ARGUMENT')],
    ['[1]["a"]', fails('EVAL_TYPE_MISMATCH')],
    ['[a: 1][0]', fails('EVAL_TYPE_MISMATCH')],
    ['5 -> $[0]', fails('EVAL_TYPE_MISMATCH')],
    ['true -> $[0]', fails('EVAL_TYPE_MISMATCH')],
    // `.name` on a dict: the field wins; otherwise the no-argument built-in method.
    ['[len: 5].len', 5],
    ['[a: 1, b: 2].len', 2],
    ['[keys: "mine"].keys', 'mine'],
    ['[a: 1, b: 2].keys', ['a', 'b']],
    ['"abc".len', 3],
    ['"abc".nosuch', fails('EVAL_UNKNOWN_METHOD')],
    ['[a: 1].nosuch', fails('EVAL_MISSING_FIELD')],
    ['3.len', fails('EVAL_UNKNOWN_METHOD')],
    // .?field never errors.
    ['[a: 1].?a', true],
    ['[a: 1].?b', false],
    ['[a: [b: 1]].a.?b', true],
    ['"abc".?a', false],
    ['[1].?a', false],
    ['5 -> .?a', false],
  ]);
});

// One row per adjacent pair of precedence levels (LANGUAGE.md §4, highest first). Each row
// has a different result (or error) if the two levels were swapped.
describe('precedence', () => {
  table([
    // postfix > unary: -("abc".len), not (-"abc").len.
    ['-"abc".len', -3],
    ['!true:?bool', false],
    // unary > * / %: (!1) fails as a condition before `1 * true` could fail as arithmetic.
    ['!1 * true', fails('EVAL_CONDITION_NOT_BOOL')],
    // * / % > + -
    ['2 + 3 * 4', 14],
    ['2 * 3 + 4', 10],
    ['10 - 6 / 2', 7],
    ['1 + 7 % 4', 4],
    // + - > < > <= >=
    ['1 + 1 < 3', true],
    ['5 - 1 >= 4', true],
    // < > <= >= > == !=
    ['1 < 2 == true', true],
    ['true == 1 < 2', true],
    ['2 > 1 != false', true],
    // == != > &&
    ['1 == 1 && 2 == 2', true],
    ['1 != 1 && 2 == 2', false],
    // && > ||
    ['true || true && false', true],
    ['false && false || true', true],
    // || > ??
    ['[a: false].a ?? true || true', false],
    // ?? > ? !
    ['[a: true].a ?? false ? "y" ! "n"', 'y'],
    ['[a: true].b ?? false ? "y" ! "n"', 'n'],
    // ? ! > -> =>
    ['true ? 1 ! 2 -> ($ + 10)', 11],
    ['false ? 1 ! 2 -> ($ * 10)', 20],
    ['1 + 2 => $x\n$x', 3],
    ['2 * 3 -> ($ + 1)', 7],
  ]);
});
