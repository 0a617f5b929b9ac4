/**
 * The chevrotain vocabulary of rill. Order matters: chevrotain tries token types in the
 * order of {@link ALL_TOKENS} and keeps the first match, so longer punctuation comes before
 * its prefixes and keywords come before `Identifier` (with `longer_alt` so `eachItem` or
 * `map::x` stay identifiers).
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';
import { matchString } from './string-scanner.js';

// ---------------------------------------------------------------- categories

/** Any infix binary operator; used to reject `-> 1 + 2` with a helpful message. */
export const BinaryOperator = createToken({
  name: 'BinaryOperator',
  pattern: Lexer.NA,
  label: 'an operator',
});
export const MultiplicativeOperator = createToken({
  name: 'MultiplicativeOperator',
  pattern: Lexer.NA,
  categories: [BinaryOperator],
  label: "'*', '/' or '%'",
});
export const AdditiveOperator = createToken({
  name: 'AdditiveOperator',
  pattern: Lexer.NA,
  categories: [BinaryOperator],
  label: "'+' or '-'",
});
export const RelationalOperator = createToken({
  name: 'RelationalOperator',
  pattern: Lexer.NA,
  categories: [BinaryOperator],
  label: 'a comparison',
});
export const EqualityOperator = createToken({
  name: 'EqualityOperator',
  pattern: Lexer.NA,
  categories: [BinaryOperator],
  label: "'==' or '!='",
});
/** Anything usable as a member name or dict key: identifiers and every keyword. */
export const Word = createToken({ name: 'Word', pattern: Lexer.NA, label: 'a name' });

// ---------------------------------------------------------------- trivia

export const Whitespace = createToken({
  name: 'Whitespace',
  pattern: /[ \t\r\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
});
export const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });
/** Kept as a token; `applyLineRules` decides which newlines separate statements. */
export const Newline = createToken({
  name: 'Newline',
  pattern: /\n/,
  line_breaks: true,
  label: 'end of line',
});

// ---------------------------------------------------------------- literals and names

/** A whole string literal, interpolations included; its payload is a `StringPayload`. */
export const StringLiteral = createToken({
  name: 'StringLiteral',
  pattern: { exec: matchString },
  line_breaks: true,
  start_chars_hint: ['"'],
  label: 'a string',
});
export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'a number',
});
export const Variable = createToken({
  name: 'Variable',
  pattern: /\$[A-Za-z_][A-Za-z0-9_]*/,
  label: 'a $variable',
});
export const Accumulator = createToken({ name: 'Accumulator', pattern: /\$@/, label: "'$@'" });
export const PipeValue = createToken({ name: 'PipeValue', pattern: /\$/, label: "'$'" });

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*/,
  categories: [Word],
  label: 'a name',
});

function keyword(name: string, text: string): TokenType {
  return createToken({
    name,
    pattern: new RegExp(text),
    longer_alt: Identifier,
    categories: [Word],
    label: `'${text}'`,
  });
}

export const TrueKeyword = keyword('TrueKeyword', 'true');
export const FalseKeyword = keyword('FalseKeyword', 'false');
export const EachKeyword = keyword('EachKeyword', 'each');
export const MapKeyword = keyword('MapKeyword', 'map');
export const FilterKeyword = keyword('FilterKeyword', 'filter');
export const FoldKeyword = keyword('FoldKeyword', 'fold');
export const BreakKeyword = keyword('BreakKeyword', 'break');
export const ReturnKeyword = keyword('ReturnKeyword', 'return');
export const AssertKeyword = keyword('AssertKeyword', 'assert');
export const ErrorKeyword = keyword('ErrorKeyword', 'error');

/** `list` directly followed by `[`: the explicit list literal prefix. */
export const ListPrefix = createToken({
  name: 'ListPrefix',
  pattern: /list(?=\[)/,
  categories: [Word],
  label: "'list['",
});
/** `dict` directly followed by `[`: the explicit dict literal prefix. */
export const DictPrefix = createToken({
  name: 'DictPrefix',
  pattern: /dict(?=\[)/,
  categories: [Word],
  label: "'dict['",
});

// ---------------------------------------------------------------- punctuation

export const Arrow = createToken({ name: 'Arrow', pattern: /->/, label: "'->'" });
export const FatArrow = createToken({ name: 'FatArrow', pattern: /=>/, label: "'=>'" });
export const EqualEqual = createToken({
  name: 'EqualEqual',
  pattern: /==/,
  categories: [EqualityOperator],
  label: "'=='",
});
export const NotEqual = createToken({
  name: 'NotEqual',
  pattern: /!=/,
  categories: [EqualityOperator],
  label: "'!='",
});
export const LessEqual = createToken({
  name: 'LessEqual',
  pattern: /<=/,
  categories: [RelationalOperator],
  label: "'<='",
});
export const GreaterEqual = createToken({
  name: 'GreaterEqual',
  pattern: />=/,
  categories: [RelationalOperator],
  label: "'>='",
});
export const Less = createToken({
  name: 'Less',
  pattern: /</,
  categories: [RelationalOperator],
  label: "'<'",
});
export const Greater = createToken({
  name: 'Greater',
  pattern: />/,
  categories: [RelationalOperator],
  label: "'>'",
});
export const AndAnd = createToken({
  name: 'AndAnd',
  pattern: /&&/,
  categories: [BinaryOperator],
  label: "'&&'",
});
/** `||`: logical or, or an empty closure parameter list in primary position. */
export const OrOr = createToken({
  name: 'OrOr',
  pattern: /\|\|/,
  categories: [BinaryOperator],
  label: "'||'",
});
export const Bar = createToken({ name: 'Bar', pattern: /\|/, label: "'|'" });
export const Coalesce = createToken({
  name: 'Coalesce',
  pattern: /\?\?/,
  categories: [BinaryOperator],
  label: "'??'",
});
export const Question = createToken({ name: 'Question', pattern: /\?/, label: "'?'" });
export const Bang = createToken({ name: 'Bang', pattern: /!/, label: "'!'" });
export const DotQuestion = createToken({ name: 'DotQuestion', pattern: /\.\?/, label: "'.?'" });
export const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const ColonGreater = createToken({ name: 'ColonGreater', pattern: /:>/, label: "':>'" });
export const ColonQuestion = createToken({ name: 'ColonQuestion', pattern: /:\?/, label: "':?'" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
export const Plus = createToken({
  name: 'Plus',
  pattern: /\+/,
  categories: [AdditiveOperator],
  label: "'+'",
});
export const Minus = createToken({
  name: 'Minus',
  pattern: /-/,
  categories: [AdditiveOperator],
  label: "'-'",
});
export const Star = createToken({
  name: 'Star',
  pattern: /\*/,
  categories: [MultiplicativeOperator],
  label: "'*'",
});
export const Slash = createToken({
  name: 'Slash',
  pattern: /\//,
  categories: [MultiplicativeOperator],
  label: "'/'",
});
export const Percent = createToken({
  name: 'Percent',
  pattern: /%/,
  categories: [MultiplicativeOperator],
  label: "'%'",
});
export const At = createToken({ name: 'At', pattern: /@/, label: "'@'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });

/** Every token type the lexer produces, in match-priority order. */
export const ALL_TOKENS: readonly TokenType[] = [
  Whitespace,
  Comment,
  Newline,
  StringLiteral,
  NumberLiteral,
  Variable,
  Accumulator,
  PipeValue,
  TrueKeyword,
  FalseKeyword,
  EachKeyword,
  MapKeyword,
  FilterKeyword,
  FoldKeyword,
  BreakKeyword,
  ReturnKeyword,
  AssertKeyword,
  ErrorKeyword,
  ListPrefix,
  DictPrefix,
  Identifier,
  Arrow,
  FatArrow,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  AndAnd,
  OrOr,
  Bar,
  Coalesce,
  Question,
  Bang,
  DotQuestion,
  Dot,
  ColonGreater,
  ColonQuestion,
  Colon,
  Equals,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  At,
  Comma,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
];

/** The category tokens, which the parser needs to know about but the lexer never emits. */
export const CATEGORY_TOKENS: readonly TokenType[] = [
  BinaryOperator,
  MultiplicativeOperator,
  AdditiveOperator,
  RelationalOperator,
  EqualityOperator,
  Word,
];
