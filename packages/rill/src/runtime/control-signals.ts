import { RillRuntimeError, type RillValue, type SourceSpan } from '@rillkit/core';
import type { BreakNode } from '../ast/nodes.js';
import { type Slot, UNBOUND } from './closure.js';

// `break` and `return` unwind the evaluator by throwing these. They are not Errors: no
// stack trace is captured, and they never escape a run (the top level turns a stray
// `break` into EVAL_BREAK_OUTSIDE_LOOP and a `return` into the script's result).

/** Thrown by `break`; caught by the innermost loop or collection operator. */
export class BreakSignal {
  constructor(
    readonly value: RillValue,
    readonly span: SourceSpan,
  ) {}
}

/** Thrown by `return`; caught by the innermost closure invocation or the script. */
export class ReturnSignal {
  constructor(readonly value: RillValue) {}
}

/**
 * What `break` throws. Every loop and collection body has `$` bound, so a bare `break`
 * with no `$` cannot be inside one: that is `EVAL_BREAK_OUTSIDE_LOOP` at once.
 */
export function breakSignal(node: BreakNode, value: Slot): BreakSignal | RillRuntimeError {
  if (value === UNBOUND) {
    return new RillRuntimeError(
      'EVAL_BREAK_OUTSIDE_LOOP',
      '`break` outside a loop or collection operator',
      { span: node.span },
    );
  }
  return new BreakSignal(value, node.span);
}
