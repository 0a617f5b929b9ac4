/**
 * The `maxNodes` limit of `parse` (docs/ref-host-api.md): a lower bound of the node count
 * read off the tokens, so an oversized script is refused before it is parsed, and the
 * exact count taken while the AST is built.
 */
import type { IToken, TokenType } from 'chevrotain';
import { RillParseError, type SourceInfo, type SourceSpan } from '@rillkit/core';
import * as T from '../lexer/tokens.js';

/**
 * Tokens that always become at least one AST node of their own, whatever their place in a
 * valid script: literals and `$` forms; keywords and identifiers, which are a node or name
 * exactly one node (a call, a member, a dict entry, a parameter); `->`, `@`, `{` and `[`;
 * and binary operators (`||` is an operator or an empty closure, one node either way).
 * Left out because they may not: `-` (folded into `-7`), `?` (in `@ body ? (cond)`), `=>`
 * (one capture node with its `$name`), brackets that only group or call, `:`, `|`, `!`.
 */
const ALWAYS_A_NODE = new Set<TokenType>([
  T.StringLiteral,
  T.NumberLiteral,
  T.Variable,
  T.Accumulator,
  T.PipeValue,
  T.TrueKeyword,
  T.FalseKeyword,
  T.EachKeyword,
  T.MapKeyword,
  T.FilterKeyword,
  T.FoldKeyword,
  T.BreakKeyword,
  T.ReturnKeyword,
  T.AssertKeyword,
  T.ErrorKeyword,
  T.Identifier,
  T.Arrow,
  T.At,
  T.LBrace,
  T.LBracket,
  T.ColonGreater,
  T.ColonQuestion,
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
  T.Star,
  T.Slash,
  T.Percent,
]);

/**
 * Tokens a script may have per node `maxNodes` allows. Ordinary scripts have fewer than
 * two; only pathological nesting of grouping parentheses comes near four.
 */
export const TOKENS_PER_NODE = 4;

/** After these a name is a type (`:string`, `:>list`), part of the node the operator makes. */
const BEFORE_TYPE_NAME = new Set<TokenType>([T.Colon, T.ColonGreater, T.ColonQuestion]);

/**
 * A lower bound of the number of AST nodes `tokens` make if they parse: each counted token
 * makes a node no other counted token makes. Interpolations count as their string only.
 */
export function certainNodeCount(tokens: readonly IToken[]): number {
  let count = 0;
  let previous: TokenType | undefined;
  for (const token of tokens) {
    const type = token.tokenType;
    const isTypeName =
      type === T.Identifier && previous !== undefined && BEFORE_TYPE_NAME.has(previous);
    if (ALWAYS_A_NODE.has(type) && !isTypeName) count += 1;
    previous = type;
  }
  return count;
}

/** The `PARSE_TOO_LARGE` error for a source longer than `maxLength`. */
export function sourceTooLong(source: SourceInfo, maxLength: number): RillParseError {
  return new RillParseError(
    'PARSE_TOO_LARGE',
    `the script is ${source.text.length} characters long; the limit (maxLength) is ${maxLength}`,
    { details: { option: 'maxLength', limit: maxLength, actual: source.text.length }, source },
  );
}

/** Counts AST nodes against `maxNodes` for one parse, interpolations included. */
export class NodeBudget {
  private used = 0;

  constructor(
    private readonly source: SourceInfo,
    readonly limit: number,
  ) {}

  /** Nodes counted so far. */
  get count(): number {
    return this.used;
  }

  /**
   * Refuses `tokens` (the whole script, or one interpolation) when the nodes they certainly
   * make, plus `extra` nodes known to come, would pass the limit, before any parsing.
   *
   * @throws RillParseError `PARSE_TOO_LARGE`
   */
  precheck(tokens: readonly IToken[], extra = 0): void {
    this.precheckCount(extra + certainNodeCount(tokens));
  }

  /** {@link precheck} for a count of certain nodes already taken off the tokens. */
  precheckCount(certain: number): void {
    const atLeast = this.used + certain;
    if (atLeast > this.limit) throw this.tooMany(atLeast, undefined);
  }

  /**
   * Refuses a script with more than {@link TOKENS_PER_NODE} tokens per allowed node: tokens
   * that make no node (grouping parentheses, blank lines, commas) cost parsing time too.
   *
   * @throws RillParseError `PARSE_TOO_LARGE` (details `option: 'maxNodes'`, `tokens`)
   */
  checkTokens(count: number): void {
    const allowed = TOKENS_PER_NODE * this.limit;
    if (count <= allowed) return;
    throw new RillParseError(
      'PARSE_TOO_LARGE',
      `the script has more than ${allowed} tokens, ${TOKENS_PER_NODE} per syntax node the limit (maxNodes) of ${this.limit} allows`,
      { details: { option: 'maxNodes', limit: this.limit, tokens: count }, source: this.source },
    );
  }

  /**
   * Counts one node built at `span` (none for the script node, counted up front).
   *
   * @throws RillParseError `PARSE_TOO_LARGE` for the node past the limit
   */
  take(span?: SourceSpan): void {
    this.used += 1;
    if (this.used > this.limit) throw this.tooMany(this.used, span);
  }

  private tooMany(atLeast: number, span: SourceSpan | undefined): RillParseError {
    return new RillParseError(
      'PARSE_TOO_LARGE',
      `the script has at least ${atLeast} syntax nodes; the limit (maxNodes) is ${this.limit}`,
      {
        details: { option: 'maxNodes', limit: this.limit, atLeast },
        ...(span === undefined ? {} : { span }),
        source: this.source,
      },
    );
  }
}
