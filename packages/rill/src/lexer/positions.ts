/**
 * Conversions between token offsets and rill spans (1-based line/column, 0-based offset,
 * exclusive end). Tokens carry offsets only; lines and columns come from one index of the
 * script's line starts, looked up when a span is made. Placing them on every token instead
 * (chevrotain's full position tracking, or a pass after lexing) cost more than the lexing
 * itself and grew every token, for positions most tokens never need on their own.
 */
import type { IToken } from 'chevrotain';
import type { SourcePosition, SourceSpan } from '@rillkit/core';

/** The line starts of one script; every token offset of a parse is an offset into it. */
export class SourceLines {
  /** Offset of the first character of each line. */
  private readonly starts: number[] = [0];
  /** Line index of the last lookup: most lookups land on it or just after it. */
  private cursor = 0;

  constructor(readonly text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) {
      this.starts.push(at + 1);
    }
  }

  /** The position of `offset` (at most the text length). */
  at(offset: number): SourcePosition {
    const starts = this.starts;
    let line = this.cursor;
    if (!this.isOnLine(offset, line)) {
      line += 1;
      if (!this.isOnLine(offset, line)) {
        let low = 0;
        let high = starts.length - 1;
        // The last line whose start is at or before `offset`.
        while (low < high) {
          const middle = (low + high + 1) >>> 1;
          if ((starts[middle] as number) <= offset) low = middle;
          else high = middle - 1;
        }
        line = low;
      }
      this.cursor = line;
    }
    return { offset, line: line + 1, column: offset - (starts[line] as number) + 1 };
  }

  /** Where `token` starts. */
  start(token: IToken): SourcePosition {
    return this.at(token.startOffset);
  }

  /** Just past the last character of `token`. */
  end(token: IToken): SourcePosition {
    const last = this.at(token.startOffset + Math.max(token.image.length - 1, 0));
    return { offset: last.offset + 1, line: last.line, column: last.column + 1 };
  }

  /** The span from the start of `first` to the end of `last`. */
  span(first: IToken, last: IToken = first): SourceSpan {
    return { start: this.start(first), end: this.end(last) };
  }

  /** The position just past the end of the text. */
  endOfText(): SourcePosition {
    return this.at(this.text.length);
  }

  private isOnLine(offset: number, line: number): boolean {
    const start = this.starts[line];
    if (start === undefined || start > offset) return false;
    const next = this.starts[line + 1];
    return next === undefined || next > offset;
  }
}
