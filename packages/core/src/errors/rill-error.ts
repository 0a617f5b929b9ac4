import type { ErrorCode } from './codes.js';
import type { SourceInfo, SourceSpan } from './span.js';

const RILL_ERROR = Symbol.for('rillkit.error');

/** Options for constructing a {@link RillError}. */
export interface RillErrorOptions {
  /** Structured facts about the failure (mount, key, path, expected, actual, ...). */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Where in the script the failure happened. */
  readonly span?: SourceSpan | undefined;
  /** The script the span refers to. */
  readonly source?: SourceInfo | undefined;
  /** The underlying error (a driver or library error), kept for debugging. */
  readonly cause?: unknown;
}

/**
 * Base class of every error rillkit raises. `code` is stable (see `ERROR_CODES`); `message`
 * carries no location — use `formatError` for `file:line:col` output with a caret.
 * Branded with `Symbol.for('rillkit.error')`, so {@link RillError.is} works across duplicate
 * installs of this package.
 */
export class RillError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;
  span: SourceSpan | undefined;
  source: SourceInfo | undefined;

  constructor(code: ErrorCode, message: string, options: RillErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RillError';
    this.code = code;
    this.details = options.details ?? {};
    this.span = options.span;
    this.source = options.source;
    Object.defineProperty(this, RILL_ERROR, { value: true });
  }

  /** True for any rillkit error, including ones from another copy of this package. */
  static is(value: unknown): value is RillError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[RILL_ERROR] === true
    );
  }

  /** Attach a location if the error has none yet; returns `this`. */
  withLocation(span: SourceSpan | undefined, source: SourceInfo | undefined): this {
    if (this.span === undefined && span !== undefined) {
      this.span = span;
      this.source = source;
    } else if (this.source === undefined && source !== undefined && this.span !== undefined) {
      this.source = source;
    }
    return this;
  }
}

/** A lexing or parsing failure: the script never ran. */
export class RillParseError extends RillError {
  constructor(code: ErrorCode, message: string, options: RillErrorOptions = {}) {
    super(code, message, options);
    this.name = 'RillParseError';
  }
}

/** A failure while the script ran (evaluation, host call or limit). */
export class RillRuntimeError extends RillError {
  constructor(code: ErrorCode, message: string, options: RillErrorOptions = {}) {
    super(code, message, options);
    this.name = 'RillRuntimeError';
  }
}

/** A storage failure raised by kv/fs policy or a backend (`KV_*`, `FS_*`). */
export class RillBackendError extends RillError {
  constructor(code: ErrorCode, message: string, options: RillErrorOptions = {}) {
    super(code, message, options);
    this.name = 'RillBackendError';
  }
}
