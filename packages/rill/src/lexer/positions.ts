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
