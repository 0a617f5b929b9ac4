/**
 * Decides which newlines end statements. The lexer keeps every newline as a token; this
 * pass drops the ones that cannot separate statements, so the grammar only ever sees a
 * `Newline` where one statement ends and the next begins.
 *
 * A newline is dropped when
 * - the innermost open bracket is `(`, `[` or closure parameters `|...|`;
 * - the previous token cannot end a statement (an operator, `->`, `,`, an opening bracket,
 *   the closing `|` of closure parameters, ...);
 * - the next token continues the statement (`->`, `=>`, `?`, `!`, `.`, `.?`) or closes a
 *   bracket;
 * - it follows another newline, or nothing.
 * Inside `{ }` newlines separate statements again, even when the block sits inside `( )`.
 */
import type { IToken, TokenType } from 'chevrotain';
import { RillParseError, type SourceInfo } from '@rillkit/core';
import * as T from './tokens.js';
import type { SourceLines } from './positions.js';

/** Deepest bracket nesting accepted; deeper input would exhaust the parser's stack. */
export const MAX_NESTING = 64;

/** An open bracket; `|` is an open closure parameter list. */
type Bracket = '(' | '[' | '{' | '|';

const CANNOT_END = new Set<TokenType>([
  T.Arrow,
  T.FatArrow,
  T.Question,
  T.Bang,
  T.Dot,
  T.DotQuestion,
  T.Comma,
  T.Colon,
  T.ColonGreater,
  T.ColonQuestion,
  T.At,
  T.Equals,
  T.LParen,
  T.LBracket,
  T.LBrace,
  T.ListPrefix,
  T.DictPrefix,
  T.EqualEqual,
  T.NotEqual,
  T.LessEqual,
  T.GreaterEqual,
  T.Less,
  T.Greater,
  T.AndAnd,
  T.OrOr,
  T.Coalesce,
  T.Plus,
  T.Minus,
  T.Star,
  T.Slash,
  T.Percent,
]);

const CONTINUES = new Set<TokenType>([
  T.Arrow,
  T.FatArrow,
  T.Question,
  T.Bang,
  T.Dot,
  T.DotQuestion,
  T.RParen,
  T.RBracket,
  T.RBrace,
]);

/**
 * Returns the tokens the parser should see. `insideParens` starts the bracket stack with an
 * open `(`, which is how an interpolation `{expr}` behaves: one expression, newlines free.
 * `separators`, when given, receives the index (in the result) of every newline kept
 * outside all brackets: the places where the script can be cut into runs of whole
 * statements.
 *
 * @throws RillParseError `PARSE_NESTING_TOO_DEEP` past {@link MAX_NESTING} open brackets.
 */
export function applyLineRules(
  tokens: readonly IToken[],
  source: SourceInfo,
  lines: SourceLines,
  insideParens = false,
  separators?: number[],
): IToken[] {
  const out: IToken[] = [];
  const stack: Bracket[] = insideParens ? ['('] : [];
  let pending: IToken | undefined;
  // True right after the `|` that closes closure parameters: a body must follow.
  let afterParams = false;

  for (const token of tokens) {
    const type = token.tokenType;
    if (type === T.Newline) {
      if (pending !== undefined || out.length === 0 || afterParams) continue;
      const top = stack[stack.length - 1];
      if (top === '(' || top === '[' || top === '|') continue;
      const previous = out[out.length - 1];
      if (previous !== undefined && CANNOT_END.has(previous.tokenType)) continue;
      pending = token;
      continue;
    }
    if (pending !== undefined) {
      if (!CONTINUES.has(type)) {
        // The stack still describes the newline's position: `token` is not applied yet.
        if (stack.length === 0) separators?.push(out.length);
        out.push(pending);
      }
      pending = undefined;
    }
    afterParams = false;
    switch (type) {
      case T.LParen:
        push(stack, '(', token, source, lines);
        break;
      case T.LBracket:
        push(stack, '[', token, source, lines);
        break;
      case T.LBrace:
        push(stack, '{', token, source, lines);
        break;
      case T.RParen:
        close(stack, '(');
        break;
      case T.RBracket:
        close(stack, '[');
        break;
      case T.RBrace:
        close(stack, '{');
        break;
      case T.Bar:
        if (stack[stack.length - 1] === '|') {
          stack.pop();
          afterParams = true;
        } else {
          push(stack, '|', token, source, lines);
        }
        break;
      default:
        break;
    }
    out.push(token);
  }
  return out;
}

function push(
  stack: Bracket[],
  bracket: Bracket,
  token: IToken,
  source: SourceInfo,
  lines: SourceLines,
): void {
  if (stack.length >= MAX_NESTING) {
    throw new RillParseError(
      'PARSE_NESTING_TOO_DEEP',
      `brackets nested deeper than ${MAX_NESTING} levels`,
      {
        details: { limit: MAX_NESTING },
        span: lines.span(token),
        source,
      },
    );
  }
  stack.push(bracket);
}

/** Pops to the matching opener; a stray closer leaves the stack alone for the parser to report. */
function close(stack: Bracket[], bracket: Bracket): void {
  const at = stack.lastIndexOf(bracket);
  if (at !== -1) stack.length = at;
}
