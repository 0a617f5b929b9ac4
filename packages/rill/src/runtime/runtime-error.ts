import { type ErrorCode, RillRuntimeError, type SourceSpan } from '@rillkit/core';

/**
 * A runtime error located at `span`. The script's source is attached later, where the
 * error leaves the run (or the closure of another script), so hot paths need not carry it.
 */
export function runtimeError(
  code: ErrorCode,
  message: string,
  span: SourceSpan | undefined,
  details?: Readonly<Record<string, unknown>>,
  cause?: unknown,
): RillRuntimeError {
  return new RillRuntimeError(code, message, {
    span,
    ...(details === undefined ? {} : { details }),
    ...(cause === undefined ? {} : { cause }),
  });
}
