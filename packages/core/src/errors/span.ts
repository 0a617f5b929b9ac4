/** A position in a script's source text. `line` and `column` are 1-based; `offset` 0-based. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A range of source text; `end` is exclusive. */
export interface SourceSpan {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/** Where a script came from, kept with errors so they can be formatted on their own. */
export interface SourceInfo {
  /** The name given to `parse(source, { name })`, e.g. a file path. */
  readonly name: string;
  /** The whole script text. */
  readonly text: string;
}
