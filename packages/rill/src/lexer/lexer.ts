/**
 * The one rill lexer instance, and `tokenize`, which turns chevrotain's lexing errors and
 * the problems the string scanner records into coded {@link RillParseError}s.
 */
import { Lexer, type ILexingError, type IToken } from 'chevrotain';
import {
  RillParseError,
  type SourceInfo,
  type SourcePosition,
  type SourceSpan,
} from '@rillkit/core';
import { ALL_TOKENS, StringLiteral } from './tokens.js';
import { tokenStart, walkTo } from './positions.js';
import type { StringPayload } from './string-scanner.js';

const rillLexer = new Lexer([...ALL_TOKENS], {
  positionTracking: 'full',
  // `\r\n` counts as one line break and a lone `\r` is whitespace, matching `formatError`.
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ['\n'],
  ensureOptimizations: true,
});

const ORIGIN: SourcePosition = { offset: 0, line: 1, column: 1 };

/**
 * Tokenizes `text`, which sits at `base` inside `source.text` (the whole script, or one
 * interpolation of a string). Token coordinates are shifted into the script's coordinates.
 *
 * @throws RillParseError `LEX_UNEXPECTED_CHARACTER`, `LEX_UNTERMINATED_STRING` or
 *   `LEX_INVALID_ESCAPE`, whichever comes first in the source.
 */
export function tokenize(
  text: string,
  source: SourceInfo,
  base: SourcePosition = ORIGIN,
): IToken[] {
  const result = rillLexer.tokenize(text);
  const tokens = result.tokens;
  if (base !== ORIGIN) for (const token of tokens) shiftToken(token, base);

  const lexError = result.errors[0];
  let firstProblem: { offset: number; raise: () => never } | undefined;
  if (lexError !== undefined) {
    firstProblem = {
      offset: lexError.offset + base.offset,
      raise: () => raiseUnexpectedCharacter(lexError, text, source, base),
    };
  }
  for (const token of tokens) {
    if (firstProblem !== undefined && token.startOffset > firstProblem.offset) break;
    if (token.tokenType !== StringLiteral) continue;
    const problem = (token.payload as StringPayload).problem;
    if (problem === undefined) continue;
    const offset = token.startOffset + problem.start;
    if (firstProblem === undefined || offset < firstProblem.offset) {
      firstProblem = { offset, raise: () => raiseStringProblem(token, source) };
    }
    break;
  }
  if (firstProblem !== undefined) firstProblem.raise();
  return tokens;
}

function shiftPosition(
  line: number | undefined,
  column: number | undefined,
  base: SourcePosition,
): [number, number] {
  const l = line ?? 1;
  const c = column ?? 1;
  return l === 1 ? [base.line, c + base.column - 1] : [l + base.line - 1, c];
}

function shiftToken(token: IToken, base: SourcePosition): void {
  token.startOffset += base.offset;
  if (token.endOffset !== undefined) token.endOffset += base.offset;
  [token.startLine, token.startColumn] = shiftPosition(token.startLine, token.startColumn, base);
  [token.endLine, token.endColumn] = shiftPosition(token.endLine, token.endColumn, base);
}

function raiseUnexpectedCharacter(
  error: ILexingError,
  text: string,
  source: SourceInfo,
  base: SourcePosition,
): never {
  const [line, column] = shiftPosition(error.line, error.column, base);
  const character = String.fromCodePoint(text.codePointAt(error.offset) ?? 0);
  const start = { offset: error.offset + base.offset, line, column };
  const span: SourceSpan = {
    start,
    end: { offset: start.offset + character.length, line, column: column + character.length },
  };
  throw new RillParseError(
    'LEX_UNEXPECTED_CHARACTER',
    `unexpected character ${JSON.stringify(character)}`,
    {
      details: { found: character },
      span,
      source,
      cause: error,
    },
  );
}

function raiseStringProblem(token: IToken, source: SourceInfo): never {
  const problem = (token.payload as StringPayload).problem;
  if (problem === undefined) throw new TypeError('raiseStringProblem called without a problem');
  const start = walkTo(tokenStart(token), token.image, 0, problem.start);
  const end = walkTo(start, token.image, problem.start, problem.end);
  const span: SourceSpan = { start, end };
  if (problem.code === 'LEX_INVALID_ESCAPE') {
    const escape = token.image.slice(problem.start, problem.end);
    throw new RillParseError(
      'LEX_INVALID_ESCAPE',
      `invalid escape ${JSON.stringify(escape)} in string (valid: \\n \\t \\r \\" \\\\ \\{ \\})`,
      {
        details: { found: escape, expected: ['\\n', '\\t', '\\r', '\\"', '\\\\', '\\{', '\\}'] },
        span,
        source,
      },
    );
  }
  throw new RillParseError('LEX_UNTERMINATED_STRING', 'unterminated string literal', {
    details: {},
    span,
    source,
  });
}
