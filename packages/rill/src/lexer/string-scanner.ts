/**
 * Scans a whole string literal (`"..."` or `"""..."""`) as one token. Interpolations may
 * hold any expression, including nested strings with their own interpolations and blocks
 * with braces, so a regular expression cannot find the end; this scanner tracks nesting.
 *
 * The token's payload ({@link StringPayload}) carries the decoded literal parts and the
 * offsets of each `{expr}` so the AST builder can parse them without rescanning.
 */
import type { CustomPatternMatcherReturn } from 'chevrotain';

/** Decoded literal text, or the source range of one `{expr}` (offsets relative to the token). */
export type StringPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'interpolation'; readonly start: number; readonly end: number };

/** A lexing problem found inside a string; offsets are relative to the token start. */
export interface StringProblem {
  readonly code: 'LEX_UNTERMINATED_STRING' | 'LEX_INVALID_ESCAPE';
  readonly start: number;
  readonly end: number;
}

/** What the lexer attaches to every `StringLiteral` token. */
export interface StringPayload {
  readonly parts: readonly StringPart[];
  /** The first problem in source order; the parse fails with it. */
  readonly problem: StringProblem | undefined;
}

const QUOTE = 34; // "
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const NEWLINE = 10;

const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  '{': '{',
  '}': '}',
};

interface ScanResult {
  /** Offset just past the closing quote, or the text length when unterminated. */
  readonly end: number;
  readonly parts: StringPart[];
  readonly problem: StringProblem | undefined;
}

/**
 * chevrotain custom matcher: matches a string literal starting at `offset`. An unterminated
 * string matches to the end of the input (with a problem in its payload) so that the
 * lexer reports it once instead of tripping over its contents.
 */
export function matchString(text: string, offset: number): CustomPatternMatcherReturn | null {
  if (text.charCodeAt(offset) !== QUOTE) return null;
  const result = scanString(text, offset, true);
  const match = [text.slice(offset, result.end)] as CustomPatternMatcherReturn;
  const payload: StringPayload = { parts: result.parts, problem: result.problem };
  match.payload = payload;
  return match;
}

function scanString(text: string, start: number, collect: boolean): ScanResult {
  const triple = text.startsWith('"""', start);
  const openLength = triple ? 3 : 1;
  const parts: StringPart[] = [];
  let problem: StringProblem | undefined;
  const unterminated = (): ScanResult => ({
    end: text.length,
    parts,
    problem: problem ?? { code: 'LEX_UNTERMINATED_STRING', start: 0, end: openLength },
  });

  let i = start + openLength;
  if (triple) {
    // A newline right after the opening quotes is layout, not content.
    if (text.charCodeAt(i) === NEWLINE) i += 1;
    else if (text.startsWith('\r\n', i)) i += 2;
  }
  let pending = '';
  let runStart = i;
  const flush = (until: number): void => {
    if (collect && until > runStart) pending += text.slice(runStart, until);
  };
  const pushText = (): void => {
    if (pending !== '') parts.push({ kind: 'text', text: pending });
    pending = '';
  };

  for (;;) {
    if (i >= text.length) return unterminated();
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      if (!triple) {
        flush(i);
        pushText();
        return { end: i + 1, parts, problem };
      }
      let run = 1;
      while (text.charCodeAt(i + run) === QUOTE) run += 1;
      if (run >= 3) {
        // In `""""`, the closing quotes are the last three; earlier ones are content.
        flush(i + run - 3);
        pushText();
        return { end: i + run, parts, problem };
      }
      i += run;
      continue;
    }
    if (c === NEWLINE && !triple) return unterminated();
    if (c === BACKSLASH) {
      flush(i);
      const next = text[i + 1];
      if (next === undefined) return unterminated();
      const decoded = ESCAPES[next];
      if (decoded === undefined) {
        const width = (text.codePointAt(i + 1) ?? 0) > 0xffff ? 3 : 2;
        problem ??= { code: 'LEX_INVALID_ESCAPE', start: i - start, end: i + width - start };
        i += width;
      } else {
        if (collect) pending += decoded;
        i += 2;
      }
      runStart = i;
      continue;
    }
    if (c === OPEN_BRACE) {
      flush(i);
      if (text.charCodeAt(i + 1) === OPEN_BRACE) {
        if (collect) pending += '{';
        i += 2;
        runStart = i;
        continue;
      }
      const close = scanInterpolation(text, i + 1, triple);
      if (close < 0) return unterminated();
      pushText();
      if (collect) parts.push({ kind: 'interpolation', start: i + 1 - start, end: close - start });
      i = close + 1;
      runStart = i;
      continue;
    }
    if (c === CLOSE_BRACE && text.charCodeAt(i + 1) === CLOSE_BRACE) {
      flush(i + 1);
      i += 2;
      runStart = i;
      continue;
    }
    i += 1;
  }
}

/** Returns the offset of the `}` closing an interpolation that starts at `from`, or -1. */
function scanInterpolation(text: string, from: number, multiline: boolean): number {
  let depth = 0;
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const nested = scanString(text, i, false);
      if (nested.problem?.code === 'LEX_UNTERMINATED_STRING') return -1;
      i = nested.end;
      continue;
    }
    if (c === NEWLINE && !multiline) return -1;
    if (c === OPEN_BRACE) depth += 1;
    else if (c === CLOSE_BRACE) {
      if (depth === 0) return i;
      depth -= 1;
    }
    i += 1;
  }
  return -1;
}
