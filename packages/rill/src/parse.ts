/**
 * `parse`: script text to AST. Lexer → line rules → chevrotain parser → CST visitor.
 * Every failure surfaces as a {@link RillParseError}; chevrotain never leaks out.
 */
import type { IToken, CstNode } from 'chevrotain';
import {
  RillError,
  RillParseError,
  type SourceInfo,
  type SourcePosition,
  type SourceSpan,
} from '@rillkit/core';
import type { ExpressionNode, ScriptNode } from './ast/nodes.js';
import { chunkCuts } from './lexer/chunks.js';
import { tokenize } from './lexer/lexer.js';
import { applyLineRules } from './lexer/line-rules.js';
import { SourceLines } from './lexer/positions.js';
import { rillParser, StrayOperatorSignal } from './parser/parser.js';
import { strayOperatorError, toParseError, type EndOfInput } from './parser/parse-errors.js';
import { AstBuilder } from './parser/to-ast.js';
import { certainNodeCount, NodeBudget, sourceTooLong } from './parser/node-budget.js';
import { resolveParseOptions, type ParseOptions } from './parser/parse-options.js';

export type { ParseOptions } from './parser/parse-options.js';
export { DEFAULT_PARSE_LIMITS } from './parser/parse-options.js';

/**
 * Tokens per parser run: the script is parsed a run of whole statements at a time, cut at
 * newlines outside brackets once a run holds this many tokens, and each run's CST becomes
 * AST (and garbage) before the next is parsed. Holding the CST of the whole script at
 * once was most of the memory of a parse and, through the garbage collector, made its
 * time grow faster than the script.
 */
const RUN_TOKENS = 2048;
// Scripts longer than this are lexed piece by piece (see chunkCuts), so a script over
// the limits is refused after lexing a piece past them, not after lexing all of it.
const LEX_PIECE = 1 << 16;

/**
 * Parses rill source text into a {@link ScriptNode}. Pure and synchronous; the result can
 * be executed any number of times. Being synchronous it cannot be interrupted, so its work
 * is bounded instead: `maxLength` characters and `maxNodes` syntax nodes (see
 * {@link ParseOptions}, {@link DEFAULT_PARSE_LIMITS} and docs/ref-host-api.md).
 *
 * @throws RillParseError with a `LEX_*` or `PARSE_*` code, a span (1-based line/column,
 *   0-based offset, exclusive end) and `source: { name, text }`; `details.expected` and
 *   `details.found` describe parse errors. `PARSE_TOO_LARGE` (details `option`, `limit`,
 *   and `actual` or `atLeast`) when a limit is passed.
 * @throws RillError `HOST_INVALID_DEFINITION` for invalid options (an unknown key, a `name`
 *   that is not a string, a limit that is not a positive integer, `null` anywhere).
 *
 * @example
 * ```ts
 * const script = parse('"hi" -> .upper', { name: 'greet.rill' });
 * ```
 */
export function parse(source: string, options?: ParseOptions): ScriptNode {
  return parseInRuns(source, options, RUN_TOKENS);
}

/**
 * {@link parse} with the run size of {@link buildStatements} chosen; internal, not exported
 * by the package. Tests compare runs of one statement with one run of the whole script.
 */
export function parseInRuns(
  source: string,
  options: ParseOptions | undefined,
  runTokens: number,
  lexPiece = LEX_PIECE,
): ScriptNode {
  const resolved = resolveParseOptions(options);
  const info: SourceInfo = {
    name: resolved.name,
    text: typeof source === 'string' ? source : '',
  };
  if (typeof source !== 'string') {
    throw new RillParseError(
      'PARSE_UNEXPECTED_TOKEN',
      'parse() expects the script text as a string',
      {
        details: { expected: ['a string'], found: typeof source },
        source: info,
      },
    );
  }
  if (info.text.length > resolved.maxLength) throw sourceTooLong(info, resolved.maxLength);
  try {
    const lines = new SourceLines(info.text);
    return parseScript(
      { source: info, lines, budget: new NodeBudget(info, resolved.maxNodes), lexPiece },
      runTokens,
    );
  } catch (error) {
    if (RillError.is(error)) throw error;
    if (error instanceof RangeError) {
      throw new RillParseError(
        'PARSE_NESTING_TOO_DEEP',
        'the script nests expressions too deeply to parse',
        {
          source: info,
          cause: error,
        },
      );
    }
    throw new RillParseError('PARSE_INTERNAL', 'the parser failed unexpectedly', {
      source: info,
      cause: error,
    });
  }
}

/** What every step of one parse shares. */
interface Parsing {
  /** Scripts longer than this many characters are lexed piece by piece. */
  readonly lexPiece: number;
  readonly source: SourceInfo;
  readonly lines: SourceLines;
  readonly budget: NodeBudget;
}

function parseScript(parsing: Parsing, runTokens: number): ScriptNode {
  const { source, lines, budget } = parsing;
  const lexed = tokenizeWithin(parsing);
  budget.take();
  const separators: number[] = [];
  const tokens = applyLineRules(lexed, source, lines, false, separators);
  const builder: AstBuilder = new AstBuilder(
    source,
    (text, start, close) => parseInterpolation(text, start, close, parsing, builder),
    budget,
    lines,
  );
  const end = lines.endOfText();
  const endOfScript: EndOfInput = {
    code: 'PARSE_UNEXPECTED_END',
    found: 'end of script',
    span: { start: end, end },
  };
  const statements = buildStatements(tokens, separators, runTokens, builder, parsing, endOfScript);
  return {
    type: 'Script',
    statements,
    source,
    span: { start: { offset: 0, line: 1, column: 1 }, end },
  };
}

/**
 * Lexes the script, piece by piece when it is longer than `lexPiece` (see chunkCuts), and
 * refuses it with `PARSE_TOO_LARGE` after the first piece that passes the node or token
 * bound.
 */
function tokenizeWithin(parsing: Parsing): IToken[] {
  const { source, lines, budget, lexPiece } = parsing;
  const text = source.text;
  const cuts = text.length > lexPiece ? chunkCuts(text, lexPiece) : [];
  let tokens: IToken[] | undefined;
  // The script node counts too; it is built last.
  let atLeast = 1;
  let from = 0;
  for (const to of [...cuts, text.length]) {
    const piece = tokenize(text.slice(from, to), source, lines, from);
    atLeast += certainNodeCount(piece);
    budget.precheckCount(atLeast);
    if (tokens === undefined) tokens = piece;
    else for (const token of piece) tokens.push(token);
    budget.checkTokens(tokens.length);
    from = to;
  }
  return tokens ?? [];
}

/**
 * Parses and builds `tokens` run by run, reporting exactly what parsing them all at once
 * would: the first syntax error anywhere wins over an error found while building the AST
 * (an unknown type, a duplicate key, ...), so such an error waits until the remaining runs
 * are known to parse. Only `PARSE_TOO_LARGE` is raised at once.
 */
function buildStatements(
  tokens: IToken[],
  separators: readonly number[],
  runTokens: number,
  builder: AstBuilder,
  parsing: Parsing,
  end: EndOfInput,
): ExpressionNode[] {
  const statements: ExpressionNode[] = [];
  let deferred: { error: unknown } | undefined;
  let previousStart = 0;
  let start = 0;
  let next = 0;
  while (start <= tokens.length) {
    let stop = tokens.length;
    while (next < separators.length) {
      const at = separators[next] as number;
      next += 1;
      if (at - start >= runTokens) {
        stop = at;
        break;
      }
    }
    const run = start === 0 && stop === tokens.length ? tokens : tokens.slice(start, stop);
    let cst: CstNode;
    try {
      cst = runParser(run, 'script', parsing, end);
    } catch (error) {
      // The error a single parse would report: from the previous run's start the parser is
      // where it would be there, at the start of a statement, and sees what follows.
      if (start === 0) throw error;
      runParser(tokens.slice(previousStart), 'script', parsing, end);
      throw error;
    }
    if (deferred === undefined) {
      try {
        for (const statement of builder.visit(cst) as ExpressionNode[]) statements.push(statement);
      } catch (error) {
        if (RillError.is(error) && error.code === 'PARSE_TOO_LARGE') throw error;
        deferred = { error };
      }
    }
    previousStart = start;
    start = stop + 1;
  }
  if (deferred !== undefined) throw deferred.error;
  return statements;
}

function parseInterpolation(
  text: string,
  start: SourcePosition,
  close: SourcePosition,
  parsing: Parsing,
  builder: AstBuilder,
): ExpressionNode {
  const { source, lines, budget } = parsing;
  const lexed = tokenize(text, source, lines, start.offset);
  budget.precheck(lexed);
  const tokens = applyLineRules(lexed, source, lines, true);
  const closeSpan: SourceSpan = {
    start: close,
    end: { offset: close.offset + 1, line: close.line, column: close.column + 1 },
  };
  if (tokens.length === 0) {
    const open = { offset: start.offset - 1, line: start.line, column: start.column - 1 };
    throw new RillParseError(
      'PARSE_UNEXPECTED_TOKEN',
      "empty interpolation '{}'; put an expression inside, or write '{{}}' for literal braces",
      {
        details: { expected: ['an expression'], found: "'}'" },
        span: { start: open, end: closeSpan.end },
        source,
      },
    );
  }
  const cst = runParser(tokens, 'interpolation', parsing, {
    code: 'PARSE_UNEXPECTED_TOKEN',
    found: "'}'",
    span: closeSpan,
  });
  return builder.visit(cst) as ExpressionNode;
}

function runParser(
  tokens: IToken[],
  rule: 'script' | 'interpolation',
  parsing: Parsing,
  end: EndOfInput,
): CstNode {
  rillParser.input = tokens;
  try {
    let cst: CstNode;
    try {
      cst = rule === 'script' ? rillParser.script() : rillParser.interpolation();
    } catch (error) {
      if (error instanceof StrayOperatorSignal)
        throw strayOperatorError(error.token, parsing.source, parsing.lines);
      throw error;
    }
    const error = rillParser.errors[0];
    if (error !== undefined) throw toParseError(error, parsing.source, parsing.lines, end);
    return cst;
  } finally {
    // The one parser instance would otherwise hold the last script's tokens until the next
    // parse, however large they were.
    rillParser.input = [];
  }
}
