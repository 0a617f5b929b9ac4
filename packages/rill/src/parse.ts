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
import { tokenize } from './lexer/lexer.js';
import { applyLineRules } from './lexer/line-rules.js';
import { endOfText } from './lexer/positions.js';
import { rillParser, StrayOperatorSignal } from './parser/parser.js';
import { strayOperatorError, toParseError, type EndOfInput } from './parser/parse-errors.js';
import { AstBuilder } from './parser/to-ast.js';
import { NodeBudget, sourceTooLong } from './parser/node-budget.js';
import { resolveParseOptions, type ParseOptions } from './parser/parse-options.js';

export type { ParseOptions } from './parser/parse-options.js';
export { DEFAULT_PARSE_LIMITS } from './parser/parse-options.js';

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
    return parseScript(info, new NodeBudget(info, resolved.maxNodes));
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

function parseScript(source: SourceInfo, budget: NodeBudget): ScriptNode {
  // The script node itself counts too; it is built last, so take it first.
  const lexed = tokenize(source.text, source, undefined, (raw) => budget.precheck(raw, 1));
  budget.take();
  const tokens = applyLineRules(lexed, source);
  const builder: AstBuilder = new AstBuilder(
    source,
    (text, start, close) => parseInterpolation(text, start, close, source, builder, budget),
    budget,
  );
  let end: SourcePosition | undefined;
  const endOfScript = (): EndOfInput => {
    end ??= endOfText(source.text);
    return { code: 'PARSE_UNEXPECTED_END', found: 'end of script', span: { start: end, end } };
  };
  const cst = runParser(tokens, 'script', source, endOfScript);
  const statements = builder.visit(cst) as ExpressionNode[];
  end ??= endOfText(source.text);
  return {
    type: 'Script',
    statements,
    source,
    span: { start: { offset: 0, line: 1, column: 1 }, end },
  };
}

function parseInterpolation(
  text: string,
  start: SourcePosition,
  close: SourcePosition,
  source: SourceInfo,
  builder: AstBuilder,
  budget: NodeBudget,
): ExpressionNode {
  const lexed = tokenize(text, source, start, (raw) => budget.precheck(raw));
  const tokens = applyLineRules(lexed, source, true);
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
  const cst = runParser(tokens, 'interpolation', source, () => ({
    code: 'PARSE_UNEXPECTED_TOKEN',
    found: "'}'",
    span: closeSpan,
  }));
  return builder.visit(cst) as ExpressionNode;
}

function runParser(
  tokens: IToken[],
  rule: 'script' | 'interpolation',
  source: SourceInfo,
  end: () => EndOfInput,
): CstNode {
  rillParser.input = tokens;
  let cst: CstNode;
  try {
    cst = rule === 'script' ? rillParser.script() : rillParser.interpolation();
  } catch (error) {
    if (error instanceof StrayOperatorSignal) throw strayOperatorError(error.token, source);
    throw error;
  }
  const error = rillParser.errors[0];
  if (error !== undefined) throw toParseError(error, source, end());
  return cst;
}
