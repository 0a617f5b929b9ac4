import { describe } from 'vitest';
import { fails, table } from './run.js';

describe('piped conditional uses $ as the condition', () => {
  table([
    ['true -> ? "y" ! "n"', 'y'],
    ['false -> ? "y" ! "n"', 'n'],
    ['false -> ? "y"', ''],
    ['5 -> ($ > 3) -> ? "big" ! "small"', 'big'],
    ['1 -> ($ > 3) -> ? "big" ! "small"', 'small'],
    ['true -> ? { "block" } ! { "other" }', 'block'],
    ['false -> ? "a" ! false ? "b" ! "c"', 'c'],
    ['5 -> ? 1 ! 2', fails('EVAL_CONDITION_NOT_BOOL')],
    ['"true" -> ? 1 ! 2', fails('EVAL_CONDITION_NOT_BOOL')],
  ]);
});

describe('while loop: init -> (cond) @ body', () => {
  table([
    ['0 -> ($ < 5) @ { $ + 1 }', 5],
    ['10 -> ($ < 5) @ { $ + 1 }', 10],
    ['1 -> ($ < 100) @ ($ * 2)', 128],
    ['"" -> ($.len < 3) @ { "{$}x" }', 'xxx'],
    ['0 -> ($ < 100) @ {\n($ == 3) ? { break }\n$ + 1\n}', 3],
    ['0 -> ($ < 100) @ {\n($ == 3) ? { "stopped" -> break }\n$ + 1\n}', 'stopped'],
    ['0 -> ($ < 3) @ {\n$ => $local\n$local + 1\n}', 3],
    ['0 -> ($) @ { $ + 1 }', fails('EVAL_CONDITION_NOT_BOOL')],
    ['0 -> ("yes") @ { $ + 1 }', fails('EVAL_CONDITION_NOT_BOOL')],
    ['0 -> (true) @ { $ + 1 }', fails('LIMIT_ITERATIONS')],
    ['0 -> ($ < 1) @', fails('PARSE_UNEXPECTED_END')],
  ]);
});

describe('do-while loop: init -> @ body ? (cond)', () => {
  table([
    ['0 -> @ { $ + 1 } ? ($ < 5)', 5],
    // The body runs at least once.
    ['10 -> @ { $ + 1 } ? ($ < 5)', 11],
    ['1 -> @ ($ * 3) ? ($ < 50)', 81],
    // Without a condition it loops until break.
    ['0 -> @ {\n($ >= 3) ? { break }\n$ + 1\n}', 3],
    ['0 -> @ {\n($ >= 3) ? { "done" -> break }\n$ + 1\n}', 'done'],
    ['0 -> @ { $ + 1 }', fails('LIMIT_ITERATIONS')],
    ['0 -> @ { $ + 1 } ? ($)', fails('EVAL_CONDITION_NOT_BOOL')],
    ['0 -> @', fails('PARSE_UNEXPECTED_END')],
    ['@ { 1 }', fails('PARSE_UNEXPECTED_TOKEN', { line: 1, column: 1 })],
  ]);
});

describe('iteration limits', () => {
  const limit5 = { limits: { iterations: 5 } } as const;
  table([
    // Exactly the limit is allowed; one more is not.
    ['0 -> ($ < 5) @ { $ + 1 }', 5, limit5],
    ['0 -> ($ < 6) @ { $ + 1 }', fails('LIMIT_ITERATIONS'), limit5],
    ['0 -> @ { $ + 1 } ? ($ < 5)', 5, limit5],
    ['0 -> @ { $ + 1 } ? ($ < 6)', fails('LIMIT_ITERATIONS'), limit5],
    ['[1, 2, 3, 4, 5] -> each { $ }', [1, 2, 3, 4, 5], limit5],
    ['[1, 2, 3, 4, 5, 6] -> each { $ }', fails('LIMIT_ITERATIONS'), limit5],
    ['[1, 2, 3, 4, 5, 6] -> each(0) { $@ + $ }', fails('LIMIT_ITERATIONS'), limit5],
    ['[1, 2, 3, 4, 5, 6] -> map { $ }', fails('LIMIT_ITERATIONS'), limit5],
    ['[1, 2, 3, 4, 5, 6] -> filter { true }', fails('LIMIT_ITERATIONS'), limit5],
    ['[1, 2, 3, 4, 5, 6] -> fold(0) { $@ + $ }', fails('LIMIT_ITERATIONS'), limit5],
    ['"abcdef" -> each { $ }', fails('LIMIT_ITERATIONS'), limit5],
    ['range(0, 6)', fails('LIMIT_ITERATIONS'), limit5],
    ['range(0, 5)', [0, 1, 2, 3, 4], limit5],
    // The limit is per loop invocation, not per script.
    ['[1, 2, 3] -> each { $ }\n[1, 2, 3] -> each { $ }', [1, 2, 3], { limits: { iterations: 3 } }],
    // The default limit is 10,000.
    ['0 -> ($ < 10000) @ { $ + 1 }', 10000],
    ['0 -> ($ < 10001) @ { $ + 1 }', fails('LIMIT_ITERATIONS')],
    ['range(0, 1e12)', fails('LIMIT_ITERATIONS')],
    ['0 -> ($ < 20000) @ { $ + 1 }', 20000, { limits: { iterations: 20000 } }],
  ]);
});

describe('break', () => {
  table([
    ['[1, 2, 3, 4] -> each {\n($ == 3) ? { break }\n$ * 10\n}', [10, 20]],
    ['[1, 2, 3, 4] -> each(0) {\n($ == 3) ? { break }\n$@ + $\n}', [1, 3]],
    ['[1, 2, 3, 4] -> fold(0) {\n($ == 3) ? { break }\n$@ + $\n}', 3],
    ['[1, 2, 3] -> each { $ -> break }', []],
    // map and filter end as a sequential run would: results before the breaking element.
    ['[1, 2, 3, 4] -> map {\n($ == 3) ? { break }\n$ * 10\n}', [10, 20]],
    ['[1, 2, 3, 4] -> filter {\n($ == 3) ? { break }\n$ > 1\n}', [2]],
    ['[[1, 2], [3]] -> each {\n$ -> each { ($ == 2) ? { break }\n$ }\n}', [[1], [3]]],
    ['break', fails('EVAL_BREAK_OUTSIDE_LOOP', { line: 1, column: 1 })],
    ['1 -> break', fails('EVAL_BREAK_OUTSIDE_LOOP')],
    ['5 -> { break }', fails('EVAL_BREAK_OUTSIDE_LOOP')],
  ]);
});

describe('return', () => {
  table([
    // Top level: leaves the script with the value.
    ['5 -> return\n10', 5],
    ['1\n"early" -> return\n"late"', 'early'],
    ['true ? { "yes" -> return }\n"no"', 'yes'],
    // In a closure: leaves the innermost closure only.
    ['|x| {\n($x > 0) ? { "pos" -> return }\n"nonpos"\n} => $f\n[$f(1), $f(-1)]', ['pos', 'nonpos']],
    // A return inside a collection body inside a closure leaves the closure.
    ['|xs| {\n$xs -> each { ($ == 2) ? { "found" -> return }\n$ }\n"none"\n} => $find\n[$find([1, 2, 3]), $find([5])]', ['found', 'none']],
    ['|x| ($x -> return) => $f\n$f(3) + 1', 4],
    ['[1, 2] -> map |x| { ($x * 10) -> return }', [10, 20]],
    ['5 -> { return }', 5],
  ]);
});

describe('assert', () => {
  table([
    ['assert true', true],
    ['assert 1 == 1', true],
    ['assert (2 > 1) "fine"', true],
    ['5 -> assert ($ > 3)', 5],
    ['"x" -> assert ($ == "x") "must be x"', 'x'],
    ['assert false', fails('EVAL_ASSERTION_FAILED', { line: 1, column: 1 })],
    ['1\n  assert 1 == 2 "math broke"', fails('EVAL_ASSERTION_FAILED', { line: 2, column: 3 })],
    ['5 -> assert ($ > 9)', fails('EVAL_ASSERTION_FAILED')],
    ['assert 1', fails('EVAL_CONDITION_NOT_BOOL')],
    ['assert "true"', fails('EVAL_CONDITION_NOT_BOOL')],
    ['assert', fails('PARSE_UNEXPECTED_END')],
  ]);
});

describe('error', () => {
  table([
    ['error "boom"', fails('EVAL_SCRIPT_ERROR', { line: 1, column: 1, details: { message: 'boom' } })],
    ['"bad" -> error', fails('EVAL_SCRIPT_ERROR', { details: { message: 'bad' } })],
    ['error "n={1 + 1}"', fails('EVAL_SCRIPT_ERROR', { details: { message: 'n=2' } })],
    ['1 => $v\n($v > 0) ? { error "positive" }\n"ok"', fails('EVAL_SCRIPT_ERROR', { line: 2, details: { message: 'positive' } })],
    ['0 => $v\n($v > 0) ? { error "positive" }\n"ok"', 'ok'],
    ['5 -> error', fails('EVAL_TYPE_MISMATCH')],
    ['error [1]', fails('EVAL_TYPE_MISMATCH')],
    // Without an operand `error` uses $, which is unbound at top level.
    ['error', fails('EVAL_UNDEFINED_VARIABLE')],
  ]);
});
