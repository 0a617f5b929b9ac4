import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorCode, RillError, RillParseError, RillRuntimeError, formatError } from '@rillkit/core';
import { type Row, type RunOptions, check, fails, run, runError } from './run.js';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { createTestHost } from './test-host.js';

const host: RunOptions = { functions: createTestHost() };

/**
 * One real script per runtime error code (EVAL_*, HOST_*, LIMIT_*). The registry check below
 * fails when a code is added to ERROR_CODES without a script here.
 */
const SCRIPT_FOR_CODE: Readonly<Record<string, Row>> = {
  EVAL_UNDEFINED_VARIABLE: ['1 => $a\n$a + $b', fails('EVAL_UNDEFINED_VARIABLE', { line: 2, column: 6, details: { name: 'b' } })],
  EVAL_OUTER_REBIND: ['1 => $x\n[1, 2] -> each {\n  $ => $x\n}', fails('EVAL_OUTER_REBIND', { line: 3 })],
  EVAL_TYPE_MISMATCH: ['"5" + 1', fails('EVAL_TYPE_MISMATCH', { line: 1, column: 1 })],
  EVAL_CONDITION_NOT_BOOL: ['1 -> ($ ? "yes" ! "no")', fails('EVAL_CONDITION_NOT_BOOL')],
  EVAL_DIVISION_BY_ZERO: ['10\n-> ($ / 0)', fails('EVAL_DIVISION_BY_ZERO', { line: 2 })],
  EVAL_INDEX_OUT_OF_RANGE: ['[1, 2, 3][3]', fails('EVAL_INDEX_OUT_OF_RANGE', { line: 1 })],
  EVAL_MISSING_FIELD: ['[a: 1] => $d\n$d.missing', fails('EVAL_MISSING_FIELD', { line: 2 })],
  EVAL_NOT_CALLABLE: ['5 => $x\n$x(1)', fails('EVAL_NOT_CALLABLE', { line: 2, column: 1 })],
  EVAL_UNKNOWN_FUNCTION: ['nosuch(1)', fails('EVAL_UNKNOWN_FUNCTION', { line: 1, column: 1, details: { name: 'nosuch' } })],
  EVAL_UNKNOWN_METHOD: ['"abc".uper', fails('EVAL_UNKNOWN_METHOD', { details: { suggestion: 'upper' } })],
  EVAL_ARGUMENT_COUNT: ['|x| $x => $f\n$f(1, 2)', fails('EVAL_ARGUMENT_COUNT', { line: 2 })],
  EVAL_ARGUMENT_TYPE: ['"a b".split(1)', fails('EVAL_ARGUMENT_TYPE')],
  EVAL_INVALID_ARGUMENT: ['"a".is_match("(")', fails('EVAL_INVALID_ARGUMENT')],
  EVAL_CONVERSION_FAILED: ['"abc" -> :>number', fails('EVAL_CONVERSION_FAILED')],
  EVAL_TYPE_ASSERTION: ['5:string', fails('EVAL_TYPE_ASSERTION', { details: { expected: 'string', actual: 'number' } })],
  EVAL_ASSERTION_FAILED: ['assert 1 > 2 "math"', fails('EVAL_ASSERTION_FAILED', { line: 1, column: 1 })],
  EVAL_SCRIPT_ERROR: ['"boom" -> error', fails('EVAL_SCRIPT_ERROR', { details: { message: 'boom' } })],
  EVAL_BREAK_OUTSIDE_LOOP: ['1\n"x" -> break', fails('EVAL_BREAK_OUTSIDE_LOOP', { line: 2 })],
  EVAL_INVALID_JSON: ['parse_json("[1, null]")', fails('EVAL_INVALID_JSON')],
  EVAL_NOT_SERIALIZABLE: ['json([f: |x| $x])', fails('EVAL_NOT_SERIALIZABLE')],
  HOST_ARGUMENT_COUNT: ['math::add(1)', fails('HOST_ARGUMENT_COUNT', { line: 1, column: 1 }), host],
  HOST_ARGUMENT_TYPE: ['math::add(1, "2")', fails('HOST_ARGUMENT_TYPE', { details: { param: 'b' } }), host],
  HOST_INVALID_RETURN: ['bad::undefined()', fails('HOST_INVALID_RETURN'), host],
  HOST_FUNCTION_FAILED: ['bad::throws()', fails('HOST_FUNCTION_FAILED'), host],
  HOST_INVALID_DEFINITION: ['1', fails('HOST_INVALID_DEFINITION'), { functions: { 'not valid': { params: [], fn: () => 1 } } }],
  LIMIT_ITERATIONS: ['0 -> (true) @ { $ + 1 }', fails('LIMIT_ITERATIONS')],
  LIMIT_CALL_DEPTH: ['|n| $f($n + 1) => $f\n$f(0)', fails('LIMIT_CALL_DEPTH')],
  LIMIT_TIMEOUT: ['hang()', fails('LIMIT_TIMEOUT'), { ...host, timeout: 30 }],
  LIMIT_ABORTED: ['greet()', fails('LIMIT_ABORTED'), { ...host, signal: AbortSignal.abort() }],
  // Doubling a string overflows the engine's maximum string length in ~30 steps (with a
  // memory budget large enough not to stop it first).
  LIMIT_VALUE_SIZE: ['"x" -> @ { "{$}{$}" }', fails('LIMIT_VALUE_SIZE'), { limits: { memory: 2 ** 40 } }],
  // Under the default 64 MiB budget the same doubling stops before the engine's limit.
  LIMIT_MEMORY: ['"x" -> @ { "{$}{$}" }', fails('LIMIT_MEMORY')],
  // Each loop stays within its own 10,000 iterations; together they pass 10 million steps.
  LIMIT_STEPS: ['range(0, 10000) -> fold(0) { 0 -> ($ < 10000) @ { $ + 1 } }', fails('LIMIT_STEPS')],
  LIMIT_VALUE_DEPTH: ['range(0, 5000) -> fold([]) { list[$@] }', fails('LIMIT_VALUE_DEPTH')],
};

/** Codes no well-formed script can raise, with the reason. */
const NOT_FROM_SCRIPTS: Readonly<Record<string, string>> = {
  EVAL_INTERNAL: 'raised only when the interpreter itself has a bug',
};

describe('every runtime error code, raised by a real script', () => {
  for (const [code, [source, expected, options]] of Object.entries(SCRIPT_FOR_CODE)) {
    it(`${code}: ${JSON.stringify(source)}`, async () => {
      await check(source, expected, options);
    });
  }

  it('covers every EVAL_, HOST_ and LIMIT_ code in the registry', () => {
    const runtimeCodes = Object.keys(ERROR_CODES).filter((c) => /^(EVAL|HOST|LIMIT)_/.test(c));
    const missing = runtimeCodes.filter((c) => !(c in SCRIPT_FOR_CODE) && !(c in NOT_FROM_SCRIPTS));
    expect(missing).toEqual([]);
    const unknown = Object.keys(SCRIPT_FOR_CODE).filter((c) => !(c in ERROR_CODES));
    expect(unknown).toEqual([]);
  });
});

describe('nesting', () => {
  const nested = (depth: number, open: string, close: string): string =>
    open.repeat(depth) + '1' + close.repeat(depth);
  it('moderately nested syntax runs', async () => {
    await check(nested(30, '(', ')'), 1);
    await check(nested(30, '[', ']') + ' -> .len', 1);
  });
  it('absurdly nested syntax is a coded parse error, not a stack overflow', async () => {
    await check(nested(10000, '(', ')'), fails('PARSE_NESTING_TOO_DEEP', { line: 1 }));
    await check(nested(10000, '[', ']'), fails('PARSE_NESTING_TOO_DEEP'));
    await check('"' + nested(10000, '{"', '"}') + '"', fails('PARSE_NESTING_TOO_DEEP'));
  });
  it('a long unary chain evaluates or fails with a coded error, never a raw exception', async () => {
    try {
      expect(await run('-'.repeat(10000) + '1')).toBe(1);
    } catch (error) {
      expect(RillError.is(error), String(error)).toBe(true);
    }
  });
});

describe('error objects', () => {
  it('parse errors are RillParseErrors with a location and the source', async () => {
    const error = await runError('1 +\n  ~', { name: 'bad.rill' });
    expect(error).toBeInstanceOf(RillParseError);
    expect(error.code).toBe('LEX_UNEXPECTED_CHARACTER');
    expect(error.span?.start).toMatchObject({ line: 2, column: 3, offset: 6 });
    expect(error.source).toEqual({ name: 'bad.rill', text: '1 +\n  ~' });
  });

  it('runtime errors are RillRuntimeErrors with a location and the source', async () => {
    const source = '[1, 2] => $xs\n$xs -> each { $ / 0 }';
    const error = await runError(source, { name: 'calc.rill' });
    expect(error).toBeInstanceOf(RillRuntimeError);
    expect(error.code).toBe('EVAL_DIVISION_BY_ZERO');
    expect(error.span?.start.line).toBe(2);
    expect(error.span?.start.column).toBe(15);
    expect(error.source).toEqual({ name: 'calc.rill', text: source });
  });

  it('the source name defaults to <script>', async () => {
    const error = await runError('1 / 0');
    expect(error.source?.name).toBe('<script>');
  });

  it('formatError shows file:line:col, the line and a caret under the span', async () => {
    const error = await runError('1\n2 + 4 / 0', { name: 'div.rill' });
    const lines = formatError(error).split('\n');
    expect(lines[0]?.startsWith('EVAL_DIVISION_BY_ZERO')).toBe(true);
    expect(lines).toContain('  --> div.rill:2:5');
    const sourceLine = lines.findIndex((l) => l.endsWith('| 2 + 4 / 0'));
    expect(sourceLine).toBeGreaterThan(0);
    const caretLine = lines[sourceLine + 1] ?? '';
    const column = caretLine.indexOf('^') - caretLine.indexOf('|') - 2;
    expect(column + 1).toBe(5);
  });

  it('errors from a failed run leave the context usable', async () => {
    const ctx = createRuntimeContext({});
    await expect(execute(parse('1 / 0'), ctx)).rejects.toMatchObject({ code: 'EVAL_DIVISION_BY_ZERO' });
    await expect(execute(parse('1 + 1'), ctx)).resolves.toEqual({ result: 2 });
  });
});

describe('bad input never escapes as a raw exception', () => {
  // Fragments that are individually plausible; random concatenations are mostly nonsense.
  const FRAGMENTS = [
    '1', '"s"', '"{1}"', '[1, 2]', '[a: 1]', '[:]', '$', '$x', '$@', '->', '=>', '.len', '.upper',
    '.split(",")', '[0]', '.?a', ':>number', ':>string', ':number', ':?list', '+', '-', '*', '/',
    '%', '==', '<', '&&', '||', '??', '?', '!', '(', ')', '{', '}', '|x|', '||', 'each', 'map',
    'fold(0)', 'filter', '@', 'break', 'return', 'assert', 'error', 'log', 'json', 'range(0, 3)',
    'type', '\n', ' ', ',', 'true', 'nosuch()', '$f(1)', '#c\n', '"', '"""', '\\',
  ];
  let seed = 12345;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  it('300 random fragment soups each return a value or a RillError', async () => {
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      const count = 1 + next(8);
      for (let j = 0; j < count; j++) parts.push(FRAGMENTS[next(FRAGMENTS.length)] ?? '');
      const source = parts.join(' ');
      try {
        await run(source, { timeout: 500, limits: { iterations: 1000 } });
      } catch (error) {
        if (!RillError.is(error)) throw new Error(`raw exception for ${JSON.stringify(source)}: ${String(error)}`);
        const code: ErrorCode = error.code;
        expect(code in ERROR_CODES).toBe(true);
      }
    }
  });
});
