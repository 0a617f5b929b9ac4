import { describe } from 'vitest';
import { fails, table } from './run.js';

const raw = String.raw;

describe('number literals', () => {
  table([
    ['42', 42],
    ['0', 0],
    ['3.14', 3.14],
    ['-7', -7],
    ['1e3', 1000],
    ['2.5e-3', 0.0025],
    // No leading sign in the literal: unary minus applies to the whole postfix expression.
    ['- 7', -7],
    ['1e999', fails('PARSE_INVALID_NUMBER', { line: 1, column: 1 })],
  ]);
});

describe('bool literals', () => {
  table([
    ['true', true],
    ['false', false],
  ]);
});

describe('string literals and escapes', () => {
  table([
    ['"hi"', 'hi'],
    ['""', ''],
    [raw`"a\nb"`, 'a\nb'],
    [raw`"a\tb"`, 'a\tb'],
    [raw`"a\rb"`, 'a\rb'],
    [raw`"say \"hi\""`, 'say "hi"'],
    [raw`"back\\slash"`, 'back\\slash'],
    [raw`"\{not interpolated\}"`, '{not interpolated}'],
    ['"{{literal}}"', '{literal}'],
    ['"a {{ b }} c"', 'a { b } c'],
    ['"héllo wörld ✓"', 'héllo wörld ✓'],
    ['"# not a comment"', '# not a comment'],
    ['"emoji 😀"', 'emoji 😀'],
    // Bad input.
    [raw`"ab\q"`, fails('LEX_INVALID_ESCAPE', { line: 1, column: 4 })],
    [raw`"\u0041"`, fails('LEX_INVALID_ESCAPE', { line: 1, column: 2 })],
    ['"abc', fails('LEX_UNTERMINATED_STRING', { line: 1, column: 1 })],
    ['1\n  "abc', fails('LEX_UNTERMINATED_STRING', { line: 2, column: 3 })],
    ['"""abc', fails('LEX_UNTERMINATED_STRING', { line: 1, column: 1 })],
    ['"""abc""', fails('LEX_UNTERMINATED_STRING', { line: 1, column: 1 })],
  ]);
});

describe('string interpolation', () => {
  table([
    ['"1 + 1 = {1 + 1}"', '1 + 1 = 2'],
    ['"alice" => $name\n"Hello, {$name}!"', 'Hello, alice!'],
    ['"{1}{2}{3}"', '123'],
    ['"{"inner"}"', 'inner'],
    ['"a{"b{1 + 1}c"}d"', 'ab2cd'],
    ['"{[1, 2, 3] -> .len}"', '3'],
    ['"{[a: 1, b: 2].b}"', '2'],
    ['"{[a: [b: "deep"]].a.b}"', 'deep'],
    ['"{true ? "yes" ! "no"}"', 'yes'],
    ['"n={5 -> { $ * 2 }}"', 'n=10'],
    // Non-strings are rendered as rill literals (formatValue); strings are inserted as-is.
    ['"{0.5}"', '0.5'],
    ['"{-3}"', '-3'],
    ['"{true}"', 'true'],
    ['"{[1, 2]}"', '[1, 2]'],
    ['"{["a", "b"]}"', '["a", "b"]'],
    ['"{[a: 1, b: "x"]}"', '[a: 1, b: "x"]'],
    ['"{[:]}"', '[:]'],
    ['"{[]}"', '[]'],
    ['"{{{1}}}"', '{1}'],
    // Bad input.
    ['"{}"', fails('PARSE_UNEXPECTED_TOKEN', { line: 1, column: 2 })],
    ['"a {  } b"', fails('PARSE_UNEXPECTED_TOKEN')],
    ['"{$nope}"', fails('EVAL_UNDEFINED_VARIABLE', { line: 1, column: 3, details: { name: 'nope' } })],
    ['"a{1 +"', fails('LEX_UNTERMINATED_STRING')],
    ['"a{1 + 2"', fails('LEX_UNTERMINATED_STRING', { line: 1, column: 1 })],
    ['"x"\n"ok {1 / 0}"', fails('EVAL_DIVISION_BY_ZERO', { line: 2, column: 6 })],
  ]);
});

describe('triple-quoted strings', () => {
  table([
    ['"""abc"""', 'abc'],
    ['"""\nline1\nline2"""', 'line1\nline2'],
    // Only ONE newline right after the opening quotes is dropped.
    ['"""\n\nx"""', '\nx'],
    ['"""  \nx"""', '  \nx'],
    ['"""a\n  b\n"""', 'a\n  b\n'],
    ['"""say "hi" now"""', 'say "hi" now'],
    ['"""v={1 + 1}"""', 'v=2'],
    [raw`"""tab\there"""`, 'tab\there'],
    ['"""{{x}}"""', '{x}'],
  ]);
});

describe('list literals', () => {
  table([
    ['[1, 2]', [1, 2]],
    ['list[1, 2]', [1, 2]],
    ['[]', []],
    ['list[]', []],
    ['[1, 2,]', [1, 2]],
    ['[1, "a", true, [2, [3]], [k: 1]]', [1, 'a', true, [2, [3]], { k: 1 }]],
    ['[\n  1,\n  2\n]', [1, 2]],
    ['[1 + 1, "x" -> .upper]', [2, 'X']],
    ['[1, 2', fails('PARSE_UNEXPECTED_END')],
    ['[1 2]', fails('PARSE_UNEXPECTED_TOKEN', { line: 1, column: 4 })],
  ]);
});

describe('dict literals', () => {
  table([
    ['[a: 1, "b c": 2]', { a: 1, 'b c': 2 }],
    ['dict[a: 1]', { a: 1 }],
    ['[:]', {}],
    ['[a: 1,]', { a: 1 }],
    ['[z: 1, a: 2, m: 3] -> .keys', ['z', 'a', 'm']],
    ['[1: "one", 2: "two"] -> .keys', ['1', '2']],
    ['[each: 1, map: 2, true: 3] -> .keys', ['each', 'map', 'true']],
    ['[a: [b: [c: 1]]]', { a: { b: { c: 1 } } }],
    ['[a: 1 + 1, b: "x" -> .upper]', { a: 2, b: 'X' }],
    ['[\n  a: 1,\n  b: 2\n]', { a: 1, b: 2 }],
    ['[a: 1, a: 2]', fails('PARSE_DUPLICATE_KEY', { line: 1, column: 8 })],
    ['[a: 1, "a": 2]', fails('PARSE_DUPLICATE_KEY')],
    ['[a: 1, 2]', fails('PARSE_MIXED_COLLECTION', { line: 1, column: 8 })],
    ['[1, a: 2]', fails('PARSE_MIXED_COLLECTION', { line: 1, column: 5 })],
  ]);
});

describe('lexing bad input', () => {
  table([
    ['1 ~ 2', fails('LEX_UNEXPECTED_CHARACTER', { line: 1, column: 3 })],
    ['1\n  ^', fails('LEX_UNEXPECTED_CHARACTER', { line: 2, column: 3 })],
    ['1 +', fails('PARSE_UNEXPECTED_END')],
    ['(1 + 2', fails('PARSE_UNEXPECTED_END')],
    ['1 + 2)', fails('PARSE_UNEXPECTED_TOKEN', { line: 1, column: 6 })],
  ]);
});
