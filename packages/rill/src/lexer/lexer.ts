/**
 * The one rill lexer instance, and `tokenize`, which turns chevrotain's lexing errors and
 * the problems the string scanner records into coded {@link RillParseError}s.
 */
import { Lexer, type ILexingError, type IToken } from 'chevrotain';
import { RillParseError, type SourceInfo, type SourceSpan } from '@rillkit/core';
import { ALL_TOKENS, StringLiteral } from './tokens.js';
import type { SourceLines } from './positions.js';
import type { StringPayload } from './string-scanner.js';

const rillLexer = new Lexer([...ALL_TOKENS], {
  // Tokens carry offsets only; `SourceLines` turns them into lines and columns where a span
  // is made. chevrotain's full tracking cost several times the lexing and doubled tokens.
  positionTracking: 'onlyOffset',
  // `\r\n` counts as one line break and a lone `\r` is whitespace, matching `formatError`.
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ['\n'],
  ensureOptimizations: true,
});

/**
 * Tokenizes `text`, which starts at offset `base` of the script `lines` index (the whole
 * script, or one interpolation of a string). Token offsets are shifted into the script.
 *
 * @throws RillParseError `LEX_UNEXPECTED_CHARACTER`, `LEX_UNTERMINATED_STRING` or
 *   `LEX_INVALID_ESCAPE`, whichever comes first in the source.
 */
export function tokenize(text: string, source: SourceInfo, lines: SourceLines, base = 0): IToken[] {
  const result = rillLexer.tokenize(text);
  const tokens = result.tokens;
  if (base !== 0) for (const token of tokens) token.startOffset += base;

  const lexError = result.errors[0];
  let firstProblem: { offset: number; raise: () => never } | undefined;
  if (lexError !== undefined) {
    firstProblem = {
      offset: lexError.offset + base,
      raise: () => raiseUnexpectedCharacter(lexError, text, source, lines, base),
    };
  }
  for (const token of tokens) {
    if (firstProblem !== undefined && token.startOffset > firstProblem.offset) break;
    if (token.tokenType !== StringLiteral) continue;
    const problem = (token.payload as StringPayload).problem;
    if (problem === undefined) continue;
    const offset = token.startOffset + problem.start;
    if (firstProblem === undefined || offset < firstProblem.offset) {
      firstProblem = { offset, raise: () => raiseStringProblem(token, source, lines) };
    }
    break;
  }
  if (firstProblem !== undefined) firstProblem.raise();
  return tokens;
}

function raiseUnexpectedCharacter(
  error: ILexingError,
  text: string,
  source: SourceInfo,
  lines: SourceLines,
  base: number,
): never {
  const start = lines.at(error.offset + base);
  const character = String.fromCodePoint(text.codePointAt(error.offset) ?? 0);
  const span: SourceSpan = {
    start,
    end: {
      offset: start.offset + character.length,
      line: start.line,
      column: start.column + character.length,
    },
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

function raiseStringProblem(token: IToken, source: SourceInfo, lines: SourceLines): never {
  const problem = (token.payload as StringPayload).problem;
  if (problem === undefined) throw new TypeError('raiseStringProblem called without a problem');
  const start = lines.at(token.startOffset + problem.start);
  const end = lines.at(token.startOffset + problem.end);
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
