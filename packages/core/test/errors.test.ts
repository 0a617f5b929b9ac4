import { describe, expect, it } from 'vitest';
import {
  ERROR_CODES,
  ERROR_LAYERS,
  formatError,
  isErrorCode,
  RillBackendError,
  RillError,
  RillParseError,
  RillRuntimeError,
  type SourceSpan,
} from '../src/index.js';

function span(line: number, column: number, endLine: number, endColumn: number): SourceSpan {
  // Offsets are not used by formatError; keep them plausible anyway.
  return {
    start: { offset: column - 1, line, column },
    end: { offset: endColumn - 1, line: endLine, column: endColumn },
  };
}

describe('ERROR_CODES registry', () => {
  const codes = Object.keys(ERROR_CODES);

  it('has SCREAMING_SNAKE codes, each in exactly one documented layer', () => {
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z]+(?:_[A-Z0-9]+)+$/);
      const layers = ERROR_LAYERS.filter((l) => code.startsWith(l.prefix));
      expect(
        layers.map((l) => l.prefix),
        code,
      ).toHaveLength(1);
    }
  });

  it('has a one-line summary for every code', () => {
    for (const [code, summary] of Object.entries(ERROR_CODES)) {
      expect(summary.trim().length, code).toBeGreaterThan(10);
      expect(summary, code).not.toMatch(/\n/);
    }
  });

  it('isErrorCode accepts registered codes only', () => {
    expect(isErrorCode('EVAL_TYPE_MISMATCH')).toBe(true);
    expect(isErrorCode('EVAL_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});

describe('RillError', () => {
  it('carries code, message, details, cause and location', () => {
    const cause = new Error('driver');
    const s = span(1, 2, 1, 3);
    const error = new RillError('KV_BACKEND_FAILURE', 'backend failed', {
      details: { mount: 'm' },
      cause,
      span: s,
      source: { name: 'x.rill', text: 'abc' },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RillError');
    expect(error.code).toBe('KV_BACKEND_FAILURE');
    expect(error.message).toBe('backend failed');
    expect(error.details).toEqual({ mount: 'm' });
    expect(error.cause).toBe(cause);
    expect(error.span).toBe(s);
    expect(error.source?.name).toBe('x.rill');
  });

  it('defaults details to an empty object and leaves cause unset', () => {
    const error = new RillError('EVAL_SCRIPT_ERROR', 'boom');
    expect(error.details).toEqual({});
    expect('cause' in error).toBe(false);
  });

  it('subclasses keep the brand and their own names', () => {
    const classes = [
      [RillParseError, 'RillParseError'],
      [RillRuntimeError, 'RillRuntimeError'],
      [RillBackendError, 'RillBackendError'],
    ] as const;
    for (const [Class, name] of classes) {
      const error = new Class('EVAL_SCRIPT_ERROR', 'x');
      expect(error).toBeInstanceOf(RillError);
      expect(error.name).toBe(name);
      expect(RillError.is(error)).toBe(true);
    }
  });

  it('is() recognises an error from a duplicate install by its registered brand', () => {
    // What a second copy of @rillkit/core would produce: its own class, the same Symbol.for brand.
    class ForeignRillError extends Error {
      code = 'EVAL_SCRIPT_ERROR';
      constructor() {
        super('from another copy');
        Object.defineProperty(this, Symbol.for('rillkit.error'), { value: true });
      }
    }
    const foreign = new ForeignRillError();
    expect(foreign instanceof RillError).toBe(false);
    expect(RillError.is(foreign)).toBe(true);
    expect(RillError.is({ [Symbol.for('rillkit.error')]: true, code: 'X' })).toBe(true);
  });

  it('is() rejects look-alikes without the brand', () => {
    expect(RillError.is(new Error('x'))).toBe(false);
    expect(RillError.is({ code: 'EVAL_SCRIPT_ERROR', message: 'x', name: 'RillError' })).toBe(
      false,
    );
    expect(RillError.is({ [Symbol('rillkit.error')]: true })).toBe(false);
    expect(RillError.is({ [Symbol.for('rillkit.error')]: 'yes' })).toBe(false);
    expect(RillError.is(null)).toBe(false);
    expect(RillError.is(undefined)).toBe(false);
    expect(RillError.is('RillError')).toBe(false);
  });

  it('withLocation fills a missing location once and never overwrites it', () => {
    const first = span(1, 1, 1, 2);
    const second = span(2, 1, 2, 2);
    const source = { name: 'a.rill', text: 'x\ny' };
    const error = new RillError('EVAL_SCRIPT_ERROR', 'x');
    expect(error.withLocation(first, source)).toBe(error);
    error.withLocation(second, { name: 'b.rill', text: '' });
    expect(error.span).toBe(first);
    expect(error.source).toBe(source);
  });

  it('withLocation adds a missing source to an error that already has a span', () => {
    const s = span(1, 1, 1, 2);
    const error = new RillError('EVAL_SCRIPT_ERROR', 'x', { span: s });
    error.withLocation(span(3, 3, 3, 4), { name: 'c.rill', text: 'z' });
    expect(error.span).toBe(s);
    expect(error.source?.name).toBe('c.rill');
  });
});

describe('formatError', () => {
  const text = ['"a" => $x', '10 -> ($ / 0)', 'tail'].join('\n');
  const source = { name: 'report.rill', text };

  function located(s: SourceSpan, withSource = true): RillError {
    return new RillError('EVAL_DIVISION_BY_ZERO', 'division by zero', {
      span: s,
      source: withSource ? source : undefined,
    });
  }

  it('renders code, file:line:col, the line and a caret under the span', () => {
    const out = formatError(located(span(2, 8, 2, 13)));
    expect(out.split('\n')).toEqual([
      'EVAL_DIVISION_BY_ZERO: division by zero',
      '  --> report.rill:2:8',
      '  |',
      '2 | 10 -> ($ / 0)',
      '  |        ^^^^^',
    ]);
  });

  it('puts the caret exactly under the spanned text', () => {
    const lines = formatError(located(span(2, 8, 2, 13))).split('\n');
    const codeLine = lines[3] ?? '';
    const caretLine = lines[4] ?? '';
    const start = caretLine.indexOf('^');
    const end = caretLine.lastIndexOf('^') + 1;
    expect(codeLine.slice(start, end)).toBe('$ / 0');
  });

  it('underlines at least one character for an empty span', () => {
    const lines = formatError(located(span(1, 5, 1, 5))).split('\n');
    expect(lines[4]).toBe('  |     ^');
  });

  it('underlines to the end of the line when the span runs onto later lines', () => {
    const lines = formatError(located(span(2, 4, 3, 2))).split('\n');
    expect(lines[3]).toBe('2 | 10 -> ($ / 0)');
    expect(lines[4]).toBe('  |    ' + '^'.repeat('-> ($ / 0)'.length));
  });

  it('widens the gutter for multi-digit line numbers', () => {
    const many = Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n');
    const error = new RillError('EVAL_SCRIPT_ERROR', 'stop', {
      span: span(12, 1, 12, 7),
      source: { name: 'long.rill', text: many },
    });
    expect(formatError(error).split('\n')).toEqual([
      'EVAL_SCRIPT_ERROR: stop',
      '   --> long.rill:12:1',
      '   |',
      '12 | line12',
      '   | ^^^^^^',
    ]);
  });

  it('handles CRLF sources', () => {
    const error = new RillError('EVAL_SCRIPT_ERROR', 'stop', {
      span: span(2, 1, 2, 3),
      source: { name: 'crlf.rill', text: 'one\r\ntwo\r\n' },
    });
    expect(formatError(error).split('\n')[3]).toBe('2 | two');
  });

  it('shows only the location when the source text is unknown', () => {
    expect(formatError(located(span(2, 8, 2, 13), false))).toBe(
      'EVAL_DIVISION_BY_ZERO: division by zero\n  --> <script>:2:8',
    );
  });

  it('is just "CODE: message" without a span', () => {
    expect(formatError(new RillError('LIMIT_TIMEOUT', 'timed out'))).toBe(
      'LIMIT_TIMEOUT: timed out',
    );
  });

  it('formats non-rill errors and thrown non-errors plainly', () => {
    expect(formatError(new TypeError('bad'))).toBe('TypeError: bad');
    expect(formatError('just a string')).toBe('just a string');
    expect(formatError(42)).toBe('42');
  });
});
