/**
 * chevrotain error message provider. Instead of prose it records what the parser expected
 * as JSON in the exception message; `parse-errors.ts` decodes it into a coded
 * `RillParseError`. This keeps chevrotain's wording out of rill's messages.
 */
import {
  EOF,
  tokenLabel,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import * as T from '../lexer/tokens.js';

/** What the parser wanted where it failed, as recorded in the exception message. */
export interface ExpectationRecord {
  /** Human labels (`"')'"`, `'an expression'`), deduplicated, in grammar order. */
  readonly expected: readonly string[];
  /** The grammar rule that failed. */
  readonly rule: string;
  /** The chevrotain token type name of the token before the failure, if any. */
  readonly previous: string | undefined;
}

/** Token types that can start an expression; listed as one "an expression" entry. */
const EXPRESSION_START = new Set<TokenType>([
  T.StringLiteral,
  T.NumberLiteral,
  T.TrueKeyword,
  T.FalseKeyword,
  T.PipeValue,
  T.Accumulator,
  T.Variable,
  T.Identifier,
  T.LParen,
  T.LBrace,
  T.Bar,
  T.OrOr,
  T.LBracket,
  T.ListPrefix,
  T.DictPrefix,
  T.Bang,
  T.Minus,
]);

function labelsOf(types: readonly TokenType[]): string[] {
  const labels: string[] = [];
  const seen = new Set<string>();
  const add = (label: string): void => {
    if (!seen.has(label)) {
      seen.add(label);
      labels.push(label);
    }
  };
  const startsExpression = types.includes(T.Variable) && types.includes(T.NumberLiteral);
  for (const type of types) {
    if (startsExpression && EXPRESSION_START.has(type)) add('an expression');
    else if (type === EOF) add('end of script');
    else add(tokenLabel(type));
  }
  return labels;
}

function firstTokens(paths: readonly (readonly TokenType[])[]): TokenType[] {
  const firsts: TokenType[] = [];
  for (const path of paths) {
    const first = path[0];
    if (first !== undefined) firsts.push(first);
  }
  return firsts;
}

function record(expected: string[], rule: string, previous: IToken | undefined): string {
  const value: ExpectationRecord = { expected, rule, previous: previous?.tokenType.name };
  return JSON.stringify(value);
}

/** Decodes a message produced by {@link errorMessageProvider}. */
export function readExpectation(message: string): ExpectationRecord {
  try {
    const value = JSON.parse(message) as ExpectationRecord;
    if (Array.isArray(value.expected)) return value;
  } catch {
    // Not one of ours; fall through.
  }
  return { expected: [], rule: '', previous: undefined };
}

/** Passed to the `CstParser` constructor. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, previous, ruleName }) {
    return record(labelsOf([expected]), ruleName, previous);
  },
  buildNotAllInputParsedMessage({ ruleName }) {
    return record([ruleName === 'interpolation' ? "'}'" : 'end of statement'], ruleName, undefined);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, previous, ruleName }) {
    return record(labelsOf(firstTokens(expectedPathsPerAlt.flat())), ruleName, previous);
  },
  buildEarlyExitMessage({ expectedIterationPaths, previous, ruleName }) {
    return record(labelsOf(firstTokens(expectedIterationPaths)), ruleName, previous);
  },
};
