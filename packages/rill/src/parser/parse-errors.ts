/**
 * Maps chevrotain recognition exceptions (and the grammar's own signals) to coded
 * {@link RillParseError}s: a code, a message naming what was expected and what was found,
 * and the span of the offending token. chevrotain's exception is kept as `cause`.
 */
import { EOF, type IRecognitionException, type IToken } from 'chevrotain';
import { RillParseError, type ErrorCode, type SourceInfo, type SourceSpan } from '@rillkit/core';
import * as T from '../lexer/tokens.js';
import type { SourceLines } from '../lexer/positions.js';
import { readExpectation } from './error-messages.js';

/** What running out of tokens means where the parse stopped: the script's end, or an interpolation's `}`. */
export interface EndOfInput {
  readonly code: ErrorCode;
  readonly found: string;
  readonly span: SourceSpan;
}

const PIPE_TARGET_HINT =
  'a pipe target: .method, name(args), $fn, $, a literal, ( expr ), { block }, a closure, ? a ! b, ' +
  '(cond) @ body, @ body, each/map/filter/fold, break, return, error or assert';

/** How a token is named in messages and in `details.found`. */
export function describeToken(token: IToken): string {
  if (token.tokenType === T.Newline) return 'end of line';
  const image = token.image.length > 24 ? `${token.image.slice(0, 20)}…` : token.image;
  return `'${image}'`;
}

function oneOf(expected: readonly string[]): string {
  if (expected.length === 0) return 'something else';
  if (expected.length === 1) return expected[0] ?? '';
  return `${expected.slice(0, -1).join(', ')} or ${expected[expected.length - 1] ?? ''}`;
}

/** Converts the first error chevrotain recorded into a `RillParseError`. */
export function toParseError(
  error: IRecognitionException,
  source: SourceInfo,
  lines: SourceLines,
  end: EndOfInput,
): RillParseError {
  const record = readExpectation(error.message);
  const token = error.token;
  const atEnd = token.tokenType === EOF;
  const found = atEnd ? end.found : describeToken(token);
  const span = atEnd ? end.span : lines.span(token);
  let code: ErrorCode = atEnd ? end.code : 'PARSE_UNEXPECTED_TOKEN';
  let expected = [...record.expected];
  let message = `expected ${oneOf(expected)}, found ${found}`;

  if (record.rule === 'script' && error.name !== 'NotAllInputParsedException') {
    expected = ['a statement'];
    message = `expected a statement, found ${found}`;
  } else if (!atEnd && record.rule === 'pipeTarget') {
    code = 'PARSE_INVALID_TARGET';
    expected = ['a pipe target'];
    message = `${found} cannot follow '->'; expected ${PIPE_TARGET_HINT}`;
  } else if (!atEnd && record.previous === 'FatArrow') {
    code = 'PARSE_INVALID_TARGET';
    message = `'=>' captures into a variable and must be followed by $name, found ${found}`;
  } else if (atEnd && end.code === 'PARSE_UNEXPECTED_END') {
    message = `the script ended early; expected ${oneOf(expected)}`;
  }
  return new RillParseError(code, message, {
    details: { expected, found },
    span,
    source,
    cause: error,
  });
}

/** `-> 1 + 2`, `-> .a ? b`, `=> $x + 1`: an operator after a pipe step. */
export function strayOperatorError(
  token: IToken,
  source: SourceInfo,
  lines: SourceLines,
): RillParseError {
  const found = describeToken(token);
  const hint =
    token.tokenType === T.Question
      ? 'to branch on the captured value, continue the pipe with a conditional: => $x -> ? a ! b'
      : `to compute with the piped value, wrap the expression in parentheses: -> ($ ${token.image} ...)`;
  return new RillParseError(
    'PARSE_INVALID_TARGET',
    `a pipe step cannot be followed by ${found}; ${hint}`,
    {
      details: { expected: ["'->'", "'=>'", 'end of statement'], found },
      span: lines.span(token),
      source,
    },
  );
}
