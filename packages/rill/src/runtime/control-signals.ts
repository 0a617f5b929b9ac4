import type { RillValue, SourceSpan } from '@rillkit/core';

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
