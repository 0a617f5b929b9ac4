/**
 * Conversions between chevrotain token coordinates and rill spans (1-based line/column,
 * 0-based offset, exclusive end). Positions are computed from tokens and small local
 * walks, never by rescanning the whole source per token.
 */
import type { IToken } from 'chevrotain';
import type { SourcePosition, SourceSpan } from '@rillkit/core';

/** Where `token` starts. */
export function tokenStart(token: IToken): SourcePosition {
  return { offset: token.startOffset, line: token.startLine ?? 1, column: token.startColumn ?? 1 };
}

/** Just past the last character of `token`. */
export function tokenEnd(token: IToken): SourcePosition {
  return {
    offset: (token.endOffset ?? token.startOffset) + 1,
    line: token.endLine ?? 1,
    column: (token.endColumn ?? 0) + 1,
  };
}

/** The span from the start of `first` to the end of `last`. */
export function tokenSpan(first: IToken, last: IToken = first): SourceSpan {
  return { start: tokenStart(first), end: tokenEnd(last) };
}

/**
 * The position reached by walking `text` from offset `from` (which sits at `at`) to offset
 * `to`. Callers walk forward in order so total work stays linear.
 */
export function walkTo(at: SourcePosition, text: string, from: number, to: number): SourcePosition {
  let line = at.line;
  let column = at.column;
  for (let i = from; i < to; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      column = 1;
    } else {
      column += 1;
    }
  }
  return { offset: at.offset + (to - from), line, column };
}

/** The position just past the end of `text`. */
export function endOfText(text: string): SourcePosition {
  return walkTo({ offset: 0, line: 1, column: 1 }, text, 0, text.length);
}

/**
 * Gives tokens lexed with offsets only their lines and columns, in one forward pass over
 * `text` (which sits at `base` in the script): line breaks are found with `indexOf`, so the
 * work is linear in the text however the tokens fall on lines. Offsets are shifted into
 * script coordinates too. Placing after lexing, rather than letting chevrotain track full
 * positions, keeps lexing cheap, so an oversized script is refused before this is paid.
 */
export function placeTokens(tokens: readonly IToken[], text: string, base: SourcePosition): void {
  let line = base.line;
  // Offset in `text` where column 1 of the current line sits; negative on the first line
  // of an interpolation, whose text starts mid-line.
  let lineStart = 1 - base.column;
  let nextBreak = text.indexOf('\n');
  const advance = (to: number): void => {
    while (nextBreak !== -1 && nextBreak < to) {
      line += 1;
      lineStart = nextBreak + 1;
      nextBreak = text.indexOf('\n', lineStart);
    }
  };
  for (const token of tokens) {
    const start = token.startOffset;
    const last = start + Math.max(token.image.length - 1, 0);
    advance(start);
    token.startLine = line;
    token.startColumn = start - lineStart + 1;
    advance(last);
    token.endLine = line;
    token.endColumn = last - lineStart + 1;
    token.startOffset = start + base.offset;
    token.endOffset = last + base.offset;
  }
}
