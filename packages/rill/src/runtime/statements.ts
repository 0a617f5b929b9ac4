import { type RillValue, typeOf } from '@rillkit/core';
import type { AssertNode, ErrorNode } from '../ast/nodes.js';
import { type Slot, UNBOUND } from './closure.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { toText } from './strings.js';

/** Text of an interpolated value: strings as-is, other values as rill literals. */
export const stringOf = toText;

/**
 * The outcome of `assert`: when `ok`, the current `$` (or `true` when none is bound);
 * otherwise `EVAL_ASSERTION_FAILED` carrying the message (details.message).
 */
export function assertion(
  run: Run,
  node: AssertNode,
  ok: boolean,
  d: Slot,
  message: RillValue | undefined,
): RillValue {
  if (ok) return d === UNBOUND ? true : d;
  const text = message === undefined ? 'assertion failed' : toText(run, message, node.span);
  throw runtimeError('EVAL_ASSERTION_FAILED', text, node.span, { message: text });
}

/** The `EVAL_SCRIPT_ERROR` raised by `error`; its message must be a string. */
export function scriptError(node: ErrorNode, message: RillValue): Error {
  if (typeof message !== 'string') {
    throw runtimeError(
      'EVAL_TYPE_MISMATCH',
      `error needs a string message, got ${typeOf(message)}`,
      node.span,
      {
        actual: typeOf(message),
      },
    );
  }
  return runtimeError('EVAL_SCRIPT_ERROR', message, node.span, { message });
}
