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
import { placeTokens, tokenStart, walkTo } from './positions.js';
import type { StringPayload } from './string-scanner.js';

const rillLexer = new Lexer([...ALL_TOKENS], {
  // Lines and columns are placed afterwards by `placeTokens`: chevrotain's full tracking
  // costs several times the lexing itself and doubles the size of every token.
  positionTracking: 'onlyOffset',
  // `\r\n` counts as one line break and a lone `\r` is whitespace, matching `formatError`.
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ['\n'],
  ensureOptimizations: true,
});

const ORIGIN: SourcePosition = { offset: 0, line: 1, column: 1 };

/**
 * Tokenizes `text`, which sits at `base` inside `source.text` (the whole script, or one
 * interpolation of a string). Token coordinates are shifted into the script's coordinates.
 * `beforePlacing`, when given, sees the tokens after the lexing problems are checked but
 * before lines and columns are placed: the cheapest point to refuse an oversized input.
 *
 * @throws RillParseError `LEX_UNEXPECTED_CHARACTER`, `LEX_UNTERMINATED_STRING` or
 *   `LEX_INVALID_ESCAPE`, whichever comes first in the source.
 */
export function tokenize(
  text: string,
  source: SourceInfo,
  base: SourcePosition = ORIGIN,
  beforePlacing?: (tokens: readonly IToken[]) => void,
): IToken[] {
  const result = rillLexer.tokenize(text);
  const tokens = result.tokens;

  const lexError = result.errors[0];
  let firstProblem: { offset: number; raise: () => never } | undefined;
  if (lexError !== undefined) {
    firstProblem = {
      offset: lexError.offset,
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
      firstProblem = {
        offset,
        raise: () => {
          placeTokens(tokens, text, base);
          return raiseStringProblem(token, source);
        },
      };
    }
    break;
  }
  if (firstProblem !== undefined) firstProblem.raise();
  beforePlacing?.(tokens);
  placeTokens(tokens, text, base);
  return tokens;
}

function raiseUnexpectedCharacter(
  error: ILexingError,
  text: string,
  source: SourceInfo,
  base: SourcePosition,
): never {
  const start = walkTo(base, text, 0, error.offset);
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
