import { hasType, type RillTypeName, type RillValue, type SourceSpan, typeOf } from '@rillkit/core';
import type { CallNode, InvokeNode } from '../ast/nodes.js';
import { type Slot, UNBOUND } from './closure.js';
import { runtimeError } from './runtime-error.js';

/** A declared parameter of a built-in or host function. */
export interface ParamSpec {
  readonly name: string;
  readonly type: RillTypeName;
  /** The value used when the argument is omitted; undefined when it is required. */
  readonly default: RillValue | undefined;
}

/** `EVAL_UNDEFINED_VARIABLE` for reading `$`/`$@`/`$name` where nothing is bound. */
export function unboundVariable(name: string, span: SourceSpan): Error {
  const shown = name === '$' || name === '$@' ? name : `$${name}`;
  return runtimeError('EVAL_UNDEFINED_VARIABLE', `${shown} is not bound here`, span, { name });
}

/** The pipe value, which must be bound. */
export function dollarOf(d: Slot, span: SourceSpan): RillValue {
  if (d === UNBOUND) throw unboundVariable('$', span);
  return d;
}

/**
 * The arguments a call actually receives, after `$` insertion:
 * - bare (`-> name`, `-> $fn`): `$` as the single argument (none when `$` is unbound, e.g.
 *   a bare `name` statement at top level);
 * - empty parentheses while `$` is bound, when the callee takes `$` (has a required
 *   parameter, or is a `{ block }` closure): `[$]`;
 * - otherwise exactly the written arguments.
 */
export function callArgs(
  node: CallNode | InvokeNode,
  written: RillValue[],
  d: Slot,
  takesDollar: boolean,
): RillValue[] {
  if (!node.hasParens) return d === UNBOUND ? written : [d];
  if (written.length === 0 && takesDollar && d !== UNBOUND) return [d];
  return written;
}

/**
 * Check arity and types against `params` and fill defaults; `kind` picks the error codes
 * (`EVAL_ARGUMENT_*` for built-ins, `HOST_ARGUMENT_*` for host functions).
 */
export function checkArgs(
  kind: 'EVAL' | 'HOST',
  name: string,
  params: readonly ParamSpec[],
  required: number,
  args: RillValue[],
  span: SourceSpan,
): RillValue[] {
  if (args.length < required || args.length > params.length) {
    const expected = required === params.length ? String(required) : `${required}-${params.length}`;
    throw runtimeError(
      kind === 'EVAL' ? 'EVAL_ARGUMENT_COUNT' : 'HOST_ARGUMENT_COUNT',
      `${name} takes ${expected} argument(s), got ${args.length}`,
      span,
      { name, expected, actual: args.length },
    );
  }
  for (let i = 0; i < params.length; i++) {
    const p = params[i] as ParamSpec;
    if (i >= args.length) {
      args.push(p.default as RillValue);
      continue;
    }
    const v = args[i] as RillValue;
    if (!hasType(v, p.type)) {
      throw runtimeError(
        kind === 'EVAL' ? 'EVAL_ARGUMENT_TYPE' : 'HOST_ARGUMENT_TYPE',
        `${name} parameter ${p.name} must be a ${p.type}, got ${typeOf(v)}`,
        span,
        { name, param: p.name, expected: p.type, actual: typeOf(v) },
      );
    }
  }
  return args;
}
