import { describe } from 'vitest';
import { fails, table } from './run.js';

describe('pipes bind $ and chain left to right', () => {
  table([
    ['5 -> ($ * 2)', 10],
    ['2 -> ($ + 1) -> ($ * 10)', 30],
    ['"a" -> "{$}b" -> "{$}c"', 'abc'],
    ['1 -> ($ + 1) -> ($ + 1) -> ($ + 1)', 4],
    ['5 -> $', 5],
    // $ is the value of the nearest pipe; an inner pipe shadows it only inside its target.
    ['1 -> [$, 2 -> ($ * 10), $]', [1, 20, 1]],
  ]);
});

describe('pipe targets', () => {
  table([
    // Method, with and without args, chained.
    ['"ab" -> .upper', 'AB'],
    ['"a,b" -> .split(",")', ['a', 'b']],
    ['" ab " -> .trim.upper', 'AB'],
    ['[a: [b: 7]] -> .a.b', 7],
    ['[a: 1] -> .?a', true],
    // Calls: explicit args, bare names, namespaced names are in host-e2e.
    ['[1] -> json([2])', '[2]'],
    ['5 -> type', 'number'],
    ['|x| ($x * 2) => $double\n4 -> $double', 8],
    ['|x| ($x * 2) => $double\n4 -> $double(10)', 20],
    // Grouped expression, block, closure literal, literals with $.
    ['3 -> ($ * $)', 9],
    ['3 -> { $ + 1 }', 4],
    ['5 -> |x| ($x + 1)', 6],
    ['5 -> "x{$}"', 'x5'],
    ['1 -> [$, $]', [1, 1]],
    // `-> [x]` with a single element indexes $; `list[x]` is the one-element list.
    ['[10, 20] -> [1]', 20],
    ['[a: 5] -> ["a"]', 5],
    ['"x" -> list[$]', ['x']],
    ['1 -> [a: $]', { a: 1 }],
    ['1 -> 7', 7],
    ['1 -> true', true],
    // Conditional, type ops, collection ops, while loops (more in their own files).
    ['true -> ? "y" ! "n"', 'y'],
    ['"42" -> :>number', 42],
    ['5 -> :number', 5],
    ['5 -> :?string', false],
    ['[1, 2] -> each { $ + 1 }', [2, 3]],
    ['0 -> ($ < 3) @ { $ + 1 }', 3],
    // Capture in the middle of a chain passes the value on unchanged.
    ['1 => $x -> ($ + 1) => $y\n[$x, $y]', [1, 2]],
    ['[a: true] -> .a -> ? "y" ! "n" => $r -> log', 'y'],
    ['[a: false] -> .a -> ? "y" ! "n" => $r -> log\n$r', 'n'],
    // Bad targets.
    ['1 -> 1 + 2', fails('PARSE_INVALID_TARGET', { line: 1, column: 8 })],
    ['1 -> .len + 1', fails('PARSE_INVALID_TARGET')],
    ['1 => 3', fails('PARSE_INVALID_TARGET', { line: 1, column: 6 })],
    ['1 => $x + 1', fails('PARSE_INVALID_TARGET', { line: 1, column: 9 })],
    ['1 => name', fails('PARSE_INVALID_TARGET')],
    ['1 ->', fails('PARSE_UNEXPECTED_END')],
    ['-> 1', fails('PARSE_UNEXPECTED_TOKEN', { line: 1, column: 1 })],
  ]);
});

describe('$ insertion for built-in calls', () => {
  table([
    // Bare: $ is the single argument.
    ['[1, 2] -> json', '[1,2]'],
    ['"x" -> log', 'x'],
    // Empty parens and a required parameter: $ becomes the first argument.
    ['[1, 2] -> json()', '[1,2]'],
    ['"s" -> type()', 'string'],
    // Explicit arguments: no insertion.
    ['5 -> range(0, 3)', [0, 1, 2]],
    ['5 -> type("a")', 'string'],
    // Outside a pipe there is no $ to insert: the argument is simply missing.
    ['json()', fails('EVAL_ARGUMENT_COUNT', { line: 1, column: 1 })],
  ]);
});

describe('variables', () => {
  table([
    ['1 => $x\n$x', 1],
    ['1 => $x\n$x + $x', 2],
    ['"v" => $_under_score9\n$_under_score9', 'v'],
    ['$nope', fails('EVAL_UNDEFINED_VARIABLE', { line: 1, column: 1, details: { name: 'nope' } })],
    ['1 => $a\n$a + $b', fails('EVAL_UNDEFINED_VARIABLE', { line: 2, column: 6, details: { name: 'b' } })],
    ['$', fails('EVAL_UNDEFINED_VARIABLE')],
    ['$@', fails('EVAL_UNDEFINED_VARIABLE')],
    ['[1] -> map { $@ }', fails('EVAL_UNDEFINED_VARIABLE')],
    // Host-provided variables.
    ['$greeting', 'hi', { variables: { greeting: 'hi' } }],
    ['$user.name', 'ann', { variables: { user: { name: 'ann', tags: ['a'] } } }],
    ['$user.tags -> .len', 1, { variables: { user: { name: 'ann', tags: ['a'] } } }],
    ['$n + 1', 42, { variables: { n: 41 } }],
    ['[$a, $b]', [1, 2], { variables: { a: 1, b: 2 } }],
  ]);
});

describe('scoping', () => {
  table([
    // Top level: re-capturing re-binds, including host variables.
    ['1 => $x\n2 => $x\n$x', 2],
    ['"new" => $greeting\n$greeting', 'new', { variables: { greeting: 'hi' } }],
    // Outer variables are readable from blocks, closures and loop bodies.
    ['1 => $x\n5 -> { $x + $ }', 6],
    ['10 => $n\n|x| ($x + $n) => $f\n$f(1)', 11],
    ['10 => $n\n[1, 2] -> map { $ + $n }', [11, 12]],
    ['10 => $n\n0 -> ($ < $n) @ { $ + 5 }', 10],
    // ...but cannot be re-bound there.
    ['1 => $x\n5 -> { $ => $x }', fails('EVAL_OUTER_REBIND', { line: 2 })],
    ['1 => $x\n|| { 2 => $x } => $f\n$f()', fails('EVAL_OUTER_REBIND')],
    ['1 => $x\n[1] -> each { $ => $x }', fails('EVAL_OUTER_REBIND')],
    ['1 => $x\n[1] -> map { $ => $x }', fails('EVAL_OUTER_REBIND')],
    ['1 => $x\n[1] -> fold(0) { $ => $x }', fails('EVAL_OUTER_REBIND')],
    ['1 => $x\n0 -> ($ < 1) @ { 1 => $x }', fails('EVAL_OUTER_REBIND')],
    ['1 => $x\ntrue ? { 2 => $x } ! 0', fails('EVAL_OUTER_REBIND')],
    ['5 -> { $ => $greeting }', fails('EVAL_OUTER_REBIND'), { variables: { greeting: 'hi' } }],
    // A name local to a nested block's parent is outer to the nested block.
    ['1 -> {\n2 => $b\n3 -> { $ => $b }\n}', fails('EVAL_OUTER_REBIND')],
    // Locals of the current child scope may be re-captured.
    ['5 -> {\n1 => $y\n2 => $y\n$y\n}', 2],
    // Each iteration gets a fresh scope, so the same local name is fine every time.
    ['[1, 2] -> each {\n$ => $v\n$v * 10\n}', [10, 20]],
    ['[1, 2, 3] -> map {\n$ * 2 => $d\n$d + 1\n}', [3, 5, 7]],
    ['|a| {\n$a => $copy\n$copy\n} => $f\n[$f(1), $f(2)]', [1, 2]],
    // Locals do not leak out of blocks, loop bodies or closures.
    ['[1, 2] -> each { $ => $item }\n$item', fails('EVAL_UNDEFINED_VARIABLE', { details: { name: 'item' } })],
    ['1 -> { 2 => $z }\n$z', fails('EVAL_UNDEFINED_VARIABLE')],
    ['0 -> ($ < 2) @ { $ + 1 => $i }\n$i', fails('EVAL_UNDEFINED_VARIABLE')],
    ['|| { 1 => $inner } => $f\n$f()\n$inner', fails('EVAL_UNDEFINED_VARIABLE')],
    ['true ? { 1 => $t } ! 0\n$t', fails('EVAL_UNDEFINED_VARIABLE')],
    // A name captured locally inside a block does not prevent a later top-level capture.
    ['5 -> { 1 => $late }\n2 => $late\n$late', 2],
    // Closures capture their defining scope (lexical), even after that block has ended.
    ['1 -> {\n5 => $k\n|x| ($x + $k)\n} => $g\n$g(1)', 6],
  ]);
});

describe('$ inside closures and blocks used as values', () => {
  table([
    // Called with arguments: $ is the first argument.
    ['|x| ($ * 2) => $f\n$f(4)', 8],
    ['|a, b| "{$}" => $f\n$f("first", "second")', 'first'],
    // Called with none: $ is the $ of the defining frame.
    ['7 -> { || ($ + 1) } => $f\n$f()', 8],
    // A block in value position is a closure binding $ to its one optional argument.
    ['{ $ * 3 } => $triple\n$triple(2)', 6],
    ['{ $ * 3 } => $triple\n5 -> $triple', 15],
    ['{ $ * 3 } => $triple\n[1, 2] -> map $triple', [3, 6]],
    ['{ $ * 3 } => $triple\ntype($triple)', 'closure'],
    ['{ $ * 3 } => $triple\n$triple(1, 2)', fails('EVAL_ARGUMENT_COUNT')],
    ['[{ 1 }, { 2 }] -> .len', 2],
  ]);
});
