import { describe } from 'vitest';
import { fails, table } from './run.js';

describe('each', () => {
  table([
    ['[1, 2, 3] -> each { $ * 2 }', [2, 4, 6]],
    ['[] -> each { $ * 2 }', []],
    ['["a", "b"] -> each { "<{$}>" }', ['<a>', '<b>']],
    // Dicts yield [key: k, value: v] dicts in insertion order.
    ['[b: 1, a: 2] -> each { $.key }', ['b', 'a']],
    ['[b: 1, a: 2] -> each { $.value }', [1, 2]],
    ['[a: 1] -> each { $ }', [{ key: 'a', value: 1 }]],
    ['[:] -> each { $ }', []],
    // Strings yield their characters (code points).
    ['"héy" -> each { $ }', ['h', 'é', 'y']],
    ['"a😀b" -> each { $ }', ['a', '😀', 'b']],
    ['"" -> each { $ }', []],
    ['[a: 1, b: 2] -> each { "{$.key}={$.value}" } -> .join("&")', 'a=1&b=2'],
    ['5 -> each { $ }', fails('EVAL_TYPE_MISMATCH', { line: 1, column: 6 })],
    ['true -> each { $ }', fails('EVAL_TYPE_MISMATCH')],
    ['[1, 2] -> each { $ / 0 }', fails('EVAL_DIVISION_BY_ZERO')],
  ]);
});

describe('each(init): list of accumulator values', () => {
  table([
    ['[1, 2, 3] -> each(0) { $@ + $ }', [1, 3, 6]],
    ['[] -> each(0) { $@ + $ }', []],
    ['["a", "b", "c"] -> each("") { "{$@}{$}" }', ['a', 'ab', 'abc']],
    ['[1, 2] -> each([]) { [$@, $] }', [[[], 1], [[[], 1], 2]]],
  ]);
});

describe('map (concurrent, results in input order)', () => {
  table([
    ['[1, 2, 3] -> map { $ * 2 }', [2, 4, 6]],
    ['[] -> map { $ }', []],
    ['[a: 1, b: 2] -> map { $.value * 10 }', [10, 20]],
    ['"ab" -> map { "{$}{$}" }', ['aa', 'bb']],
    ['[[1, 2], [3]] -> map { $ -> fold(0) { $@ + $ } }', [3, 3]],
    ['5 -> map { $ }', fails('EVAL_TYPE_MISMATCH')],
  ]);
});

describe('filter (predicate must be bool)', () => {
  table([
    ['[1, 2, 3, 4] -> filter { $ % 2 == 0 }', [2, 4]],
    ['[1, 2, 3] -> filter { false }', []],
    ['[] -> filter { true }', []],
    ['[a: 1, b: 2] -> filter { $.value > 1 }', [{ key: 'b', value: 2 }]],
    ['"a1b2" -> filter { $.is_match("[0-9]") }', ['1', '2']],
    ['[[1], [], [2, 3]] -> filter { !$.empty }', [[1], [2, 3]]],
    ['[1, 2] -> filter { $ }', fails('EVAL_CONDITION_NOT_BOOL')],
    ['[1, 2] -> filter { "yes" }', fails('EVAL_CONDITION_NOT_BOOL')],
    ['5 -> filter { true }', fails('EVAL_TYPE_MISMATCH')],
  ]);
});

describe('fold(init): final accumulator', () => {
  table([
    ['[1, 2, 3] -> fold(0) { $@ + $ }', 6],
    ['[] -> fold(42) { $@ + $ }', 42],
    ['["a", "b"] -> fold("") { "{$@}{$}" }', 'ab'],
    ['[3, 1, 2] -> fold(0) { ($ > $@) ? $ ! $@ }', 3],
    ['[a: 1, b: 2] -> fold(0) { $@ + $.value }', 3],
    ['"abc" -> fold(0) { $@ + 1 }', 3],
    ['[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }', 12],
    ['[1] -> fold { $ }', fails('PARSE_UNEXPECTED_TOKEN')],
    ['[1] -> fold()', fails('PARSE_UNEXPECTED_TOKEN')],
    ['5 -> fold(0) { $@ + $ }', fails('EVAL_TYPE_MISMATCH')],
  ]);
});

describe('collection bodies', () => {
  table([
    ['[1, 2] -> map { $ + 1 }', [2, 3]],
    ['[1, 2] -> map ($ + 1)', [2, 3]],
    ['[1, 2] -> map |x| ($x * 3)', [3, 6]],
    ['[1, 2] -> map |x| { $x * 3 }', [3, 6]],
    ['|x| ($x * 3) => $triple\n[1, 2] -> map $triple', [3, 6]],
    ['|x| ($x * 3) => $triple\n[1, 2] -> each $triple', [3, 6]],
    ['|x| ($x > 1) => $big\n[1, 2] -> filter $big', [2]],
    ['["a", "b"] -> map .upper', ['A', 'B']],
    ['["a", "bcd"] -> map .len', [1, 3]],
    ['["a,b", "c"] -> map .split(",")', [['a', 'b'], ['c']]],
    ['[" a ", "b "] -> map .trim.upper', ['A', 'B']],
    ['[1, 2] -> map $', [1, 2]],
    ['[1, 2] -> each $', [1, 2]],
    ['[[a: 1], [a: 2]] -> map .a', [1, 2]],
    ['[1, 2] -> map |a, b| $a', fails('EVAL_ARGUMENT_COUNT')],
    ['[1, 2] -> map |s: string| $s', fails('EVAL_ARGUMENT_TYPE')],
    ['5 => $n\n[1, 2] -> map $n', fails('EVAL_NOT_CALLABLE')],
    ['[1] -> map', fails('PARSE_UNEXPECTED_END')],
  ]);
});
