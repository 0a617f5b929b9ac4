import { describe, expect, test } from 'vitest';
import { formatError, RillError, RillParseError, type ErrorCode } from '@rillkit/core';
import { parse } from '../../src/parse.js';

function parseError(source: string, name?: string): RillParseError {
  try {
    parse(source, name === undefined ? {} : { name });
  } catch (error) {
    if (error instanceof RillParseError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

/** Bad script → code and the 1-based line:column where the error points. */
type Row = readonly [source: string, code: ErrorCode, at: string];

const rows: readonly Row[] = [
  // lexing
  ['"abc', 'LEX_UNTERMINATED_STRING', '1:1'],
  ['x\n  "abc\n"', 'LEX_UNTERMINATED_STRING', '2:3'],
  ['"""abc\n', 'LEX_UNTERMINATED_STRING', '1:1'],
  ['"a {$x"', 'LEX_UNTERMINATED_STRING', '1:1'],
  ['"a {$x', 'LEX_UNTERMINATED_STRING', '1:1'],
  ['"a {"b}"', 'LEX_UNTERMINATED_STRING', '1:1'],
  ['"abc\\', 'LEX_UNTERMINATED_STRING', '1:1'],
  ['"a\\qb"', 'LEX_INVALID_ESCAPE', '1:3'],
  ['log("ok", "\\u0041")', 'LEX_INVALID_ESCAPE', '1:12'],
  ['"""\nline\n  \\x"""', 'LEX_INVALID_ESCAPE', '3:3'],
  ['"{"\\q"}"', 'LEX_INVALID_ESCAPE', '1:4'],
  ['1 ~ 2', 'LEX_UNEXPECTED_CHARACTER', '1:3'],
  ['$x\n  & 1', 'LEX_UNEXPECTED_CHARACTER', '2:3'],
  ['"{1 ~ 2}"', 'LEX_UNEXPECTED_CHARACTER', '1:5'],
  ["'single'", 'LEX_UNEXPECTED_CHARACTER', '1:1'],
  ['$ü', 'LEX_UNEXPECTED_CHARACTER', '1:2'],
  ['1 ;2', 'LEX_UNEXPECTED_CHARACTER', '1:3'],
  // parsing: unexpected tokens
  [')', 'PARSE_UNEXPECTED_TOKEN', '1:1'],
  ['1\n)', 'PARSE_UNEXPECTED_TOKEN', '2:1'],
  ['(1))', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['{ ) }', 'PARSE_UNEXPECTED_TOKEN', '1:3'],
  ['1 2', 'PARSE_UNEXPECTED_TOKEN', '1:3'],
  ['@', 'PARSE_UNEXPECTED_TOKEN', '1:1'],
  ['@ { 1 }', 'PARSE_UNEXPECTED_TOKEN', '1:1'],
  ['.len', 'PARSE_UNEXPECTED_TOKEN', '1:1'],
  ['each { $ }', 'PARSE_UNEXPECTED_TOKEN', '1:1'],
  ['$x -> fold { $ }', 'PARSE_UNEXPECTED_TOKEN', '1:12'],
  ['$x -> map(1) { $ }', 'PARSE_UNEXPECTED_TOKEN', '1:14'],
  ['$a\n!$b', 'PARSE_UNEXPECTED_TOKEN', '2:1'],
  ['$x -> @ $y', 'PARSE_UNEXPECTED_TOKEN', '1:9'],
  ['$x -> @ { 1 } ? $c', 'PARSE_UNEXPECTED_TOKEN', '1:17'],
  ['f(1 2)', 'PARSE_UNEXPECTED_TOKEN', '1:5'],
  ['[1 2]', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['[1,,2]', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['[: 1]', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['$d.', 'PARSE_UNEXPECTED_END', '1:4'],
  ['$d.kv::get', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['$d.1', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['|x::y| 1', 'PARSE_UNEXPECTED_TOKEN', '1:2'],
  ['|$x| 1', 'PARSE_UNEXPECTED_TOKEN', '1:2'],
  ['["{$k}": 1]', 'PARSE_UNEXPECTED_TOKEN', '1:2'],
  ['"{}"', 'PARSE_UNEXPECTED_TOKEN', '1:2'],
  ['"a {  }"', 'PARSE_UNEXPECTED_TOKEN', '1:4'],
  ['"{1 +}"', 'PARSE_UNEXPECTED_TOKEN', '1:6'],
  ['"{1 2}"', 'PARSE_UNEXPECTED_TOKEN', '1:5'],
  ['"{)}"', 'PARSE_UNEXPECTED_TOKEN', '1:3'],
  ['$fn(1)(2)', 'PARSE_UNEXPECTED_TOKEN', '1:7'],
  ['$x -> ? 1 ! ', 'PARSE_UNEXPECTED_END', '1:13'],
  // parsing: early end
  ['1 +', 'PARSE_UNEXPECTED_END', '1:4'],
  ['1 +\n', 'PARSE_UNEXPECTED_END', '2:1'],
  ['(1', 'PARSE_UNEXPECTED_END', '1:3'],
  ['[1, 2', 'PARSE_UNEXPECTED_END', '1:6'],
  ['{ 1', 'PARSE_UNEXPECTED_END', '1:4'],
  ['f(', 'PARSE_UNEXPECTED_END', '1:3'],
  ['|x', 'PARSE_UNEXPECTED_END', '1:3'],
  ['|x|', 'PARSE_UNEXPECTED_END', '1:4'],
  ['$c ?', 'PARSE_UNEXPECTED_END', '1:5'],
  ['$x ->', 'PARSE_UNEXPECTED_END', '1:6'],
  ['$x =>', 'PARSE_UNEXPECTED_END', '1:6'],
  ['$x -> @', 'PARSE_UNEXPECTED_END', '1:8'],
  ['$x -> each', 'PARSE_UNEXPECTED_END', '1:11'],
  ['$x -> fold(0)', 'PARSE_UNEXPECTED_END', '1:14'],
  ['assert', 'PARSE_UNEXPECTED_END', '1:7'],
  ['$x:', 'PARSE_UNEXPECTED_END', '1:4'],
  // pipe targets
  ['1 -> 1 + 2', 'PARSE_INVALID_TARGET', '1:8'],
  ['$x\n  -> 1 + 2', 'PARSE_INVALID_TARGET', '2:8'],
  ['$x -> .len * 2', 'PARSE_INVALID_TARGET', '1:12'],
  ['$x -> $ == 1', 'PARSE_INVALID_TARGET', '1:9'],
  ['$x -> log && true', 'PARSE_INVALID_TARGET', '1:11'],
  ['$x => $y ? 1', 'PARSE_INVALID_TARGET', '1:10'],
  ['$x => $y + 1', 'PARSE_INVALID_TARGET', '1:10'],
  ['$x -> -1', 'PARSE_INVALID_TARGET', '1:7'],
  ['$x -> !$y', 'PARSE_INVALID_TARGET', '1:7'],
  ['$x -> )', 'PARSE_INVALID_TARGET', '1:7'],
  ['1 => 3', 'PARSE_INVALID_TARGET', '1:6'],
  ['1 => x', 'PARSE_INVALID_TARGET', '1:6'],
  ['1 => $', 'PARSE_INVALID_TARGET', '1:6'],
  ['1 => $@', 'PARSE_INVALID_TARGET', '1:6'],
  // checks after parsing
  ['[a: 1, 2]', 'PARSE_MIXED_COLLECTION', '1:8'],
  ['[1, a: 2]', 'PARSE_MIXED_COLLECTION', '1:5'],
  ['list[a: 1]', 'PARSE_MIXED_COLLECTION', '1:6'],
  ['dict[1]', 'PARSE_MIXED_COLLECTION', '1:6'],
  ['list[:]', 'PARSE_MIXED_COLLECTION', '1:6'],
  ['[a: 1, a: 2]', 'PARSE_DUPLICATE_KEY', '1:8'],
  ['[a: 1, "a": 2]', 'PARSE_DUPLICATE_KEY', '1:8'],
  ['[1: 1, "1": 2]', 'PARSE_DUPLICATE_KEY', '1:8'],
  ['|x, x| 1', 'PARSE_DUPLICATE_PARAM', '1:5'],
  ['|a, b: number, a = 1| 1', 'PARSE_DUPLICATE_PARAM', '1:16'],
  ['$x:foo', 'PARSE_UNKNOWN_TYPE', '1:4'],
  ['$x -> :>int', 'PARSE_UNKNOWN_TYPE', '1:9'],
  ['$x:?String', 'PARSE_UNKNOWN_TYPE', '1:5'],
  ['|x: integer| 1', 'PARSE_UNKNOWN_TYPE', '1:5'],
  ['$x:each', 'PARSE_UNKNOWN_TYPE', '1:4'],
  ['1e400', 'PARSE_INVALID_NUMBER', '1:1'],
  ['"{1e999}"', 'PARSE_INVALID_NUMBER', '1:3'],
  // nesting
  ['('.repeat(100) + '1' + ')'.repeat(100), 'PARSE_NESTING_TOO_DEEP', '1:65'],
  ['['.repeat(100) + ']'.repeat(100), 'PARSE_NESTING_TOO_DEEP', '1:65'],
  ['x -> ' + '{'.repeat(70), 'PARSE_NESTING_TOO_DEEP', '1:70'],
  ['!'.repeat(70) + 'true', 'PARSE_NESTING_TOO_DEEP', '1:65'],
  ['1' + ' + 1'.repeat(1000), 'PARSE_NESTING_TOO_DEEP', '1:3999'],
];

describe('nesting limits', () => {
  test('deep but reasonable nesting parses', () => {
    expect(() => parse('('.repeat(64) + '1' + ')'.repeat(64))).not.toThrow();
    expect(() => parse('!'.repeat(64) + 'true')).not.toThrow();
    expect(() => parse('1' + ' + 1'.repeat(999))).not.toThrow();
    expect(() => parse('$a ? 1 ! '.repeat(200) + '2')).not.toThrow();
  });
});

describe('bad scripts', () => {
  test.each(rows)('%j -> %s at %s', (source, code, at) => {
    const error = parseError(source);
    expect(error.code).toBe(code);
    expect(RillError.is(error)).toBe(true);
    expect(`${error.span?.start.line}:${error.span?.start.column}`).toBe(at);
    expect(error.source).toEqual({ name: '<script>', text: source });
    expect(error.span?.end.offset).toBeGreaterThanOrEqual(error.span?.start.offset ?? Infinity);
  });
});

describe('error details', () => {
  test('parse errors name what was expected and what was found', () => {
    const error = parseError('f(1 2)');
    expect(error.details).toEqual({ expected: ["')'"], found: "'2'" });
  });

  test('an expression is expected as one entry', () => {
    expect(parseError('1 +').details).toEqual({
      expected: ['an expression'],
      found: 'end of script',
    });
  });

  test('an interpolation reports its closing brace, not the end of the script', () => {
    const error = parseError('"{1 +} more"');
    expect(error.details).toEqual({ expected: ['an expression'], found: "'}'" });
    expect(error.span?.start.offset).toBe(5);
  });

  test('an invalid escape spans the escape only', () => {
    const error = parseError('"ab\\qc"');
    expect(error.span?.start.offset).toBe(3);
    expect(error.span?.end.offset).toBe(5);
    expect(error.details['found']).toBe('\\q');
  });

  test('an invalid pipe target says so', () => {
    const error = parseError('$x -> 1 + 2');
    expect(error.details['found']).toBe("'+'");
    expect(error.message).toMatch(/parenthes/);
  });

  test('chevrotain exceptions stay behind as the cause', () => {
    const error = parseError('(1');
    expect(error.cause).toBeDefined();
    expect(error.name).toBe('RillParseError');
  });

  test('the first problem in source order wins', () => {
    expect(parseError('1 ~ "\\q"').code).toBe('LEX_UNEXPECTED_CHARACTER');
    expect(parseError('"\\q" ~').code).toBe('LEX_INVALID_ESCAPE');
  });

  test('the script name defaults to <script> and can be set', () => {
    expect(parseError(')').source?.name).toBe('<script>');
    expect(parseError(')', 'jobs/report.rill').source?.name).toBe('jobs/report.rill');
  });

  test('a non-string source is a coded error', () => {
    expect(() => parse(42 as unknown as string)).toThrow(RillParseError);
  });
});

describe('formatError of a parse error', () => {
  test('shows file:line:col, the line and a caret under the span', () => {
    const source = 'log("start")\n$total -> 1 + 2\n';
    const error = parseError(source, 'calc.rill');
    expect(error.code).toBe('PARSE_INVALID_TARGET');
    const lines = formatError(error).split('\n');
    expect(lines[0]).toMatch(/^PARSE_INVALID_TARGET: /);
    expect(lines[1]).toMatch(/--> calc\.rill:2:13$/);
    const codeLine = lines.find((line) => line.includes('$total -> 1 + 2')) ?? '';
    const caretLine = lines[lines.indexOf(codeLine) + 1] ?? '';
    const caretAt = caretLine.indexOf('^');
    expect(codeLine[caretAt]).toBe('+');
    expect(caretLine.slice(caretAt)).toBe('^');
  });

  test('underlines a whole invalid escape', () => {
    const error = parseError('x -> "a\\qb"');
    const lines = formatError(error).split('\n');
    const codeLine = lines.find((line) => line.endsWith('x -> "a\\qb"')) ?? '';
    const caretLine = lines[lines.indexOf(codeLine) + 1] ?? '';
    const caretAt = caretLine.indexOf('^');
    expect(codeLine.slice(caretAt, caretAt + 2)).toBe('\\q');
    expect(caretLine.slice(caretAt)).toBe('^^');
  });

  test('points past the last character at the end of the script', () => {
    const error = parseError('[1, 2', 'list.rill');
    expect(error.code).toBe('PARSE_UNEXPECTED_END');
    const lines = formatError(error).split('\n');
    expect(lines[1]).toMatch(/--> list\.rill:1:6$/);
    const codeLine = lines.find((line) => line.endsWith('[1, 2')) ?? '';
    const caretLine = lines[lines.indexOf(codeLine) + 1] ?? '';
    expect(caretLine.indexOf('^')).toBe(codeLine.length);
  });
});
