import { hasType, RillError, type RillValue, type SourceSpan, typeOf } from '@rillkit/core';
import type { ParamNode } from '../ast/nodes.js';
import { isScriptClosure, type ScriptClosure } from './closure.js';
import { BreakSignal, ReturnSignal } from './control-signals.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { Scope } from './scope.js';

// Closure invocation steps shared by both evaluators. The evaluators differ only in how
// they evaluate parameter defaults and the body.

/** `callee` as an invocable closure, else `EVAL_NOT_CALLABLE`. */
export function asClosure(callee: RillValue, span: SourceSpan): ScriptClosure {
  if (isScriptClosure(callee)) return callee;
  throw runtimeError('EVAL_NOT_CALLABLE', `a ${typeOf(callee)} cannot be called`, span, {
    actual: typeOf(callee),
  });
}

/** `LIMIT_CALL_DEPTH` unless one more nested invocation at `depth` is allowed. */
export function checkDepth(run: Run, depth: number, span: SourceSpan): void {
  if (depth > run.limits.callDepth) {
    throw runtimeError(
      'LIMIT_CALL_DEPTH',
      `calls nested deeper than ${run.limits.callDepth}`,
      span,
      {
        limit: run.limits.callDepth,
      },
    );
  }
}

function checkParam(p: ParamNode, v: RillValue, span: SourceSpan): void {
  if (p.typeName !== undefined && !hasType(v, p.typeName)) {
    throw runtimeError(
      'EVAL_ARGUMENT_TYPE',
      `parameter $${p.name} must be a ${p.typeName}, got ${typeOf(v)}`,
      span,
      {
        param: p.name,
        expected: p.typeName,
        actual: typeOf(v),
      },
    );
  }
}

/**
 * Start invoking `fn` from call depth `depth - 1`: checks limits, arity and the types of
 * the given arguments, and returns the invocation's scope with them bound. Parameters
 * past `args` still need their defaults ({@link bindDefault}).
 */
export function enterClosure(
  run: Run,
  fn: ScriptClosure,
  args: readonly RillValue[],
  depth: number,
  span: SourceSpan,
): Scope {
  run.tick(span);
  checkDepth(run, depth, span);
  const node = fn.node;
  const scope = new Scope(fn.scope, depth);
  if (node.type === 'Block') {
    if (args.length > 1)
      throw arity(`a block takes at most 1 argument, got ${args.length}`, span, '0-1', args.length);
    return scope;
  }
  const params = node.params;
  if (args.length > params.length) {
    throw arity(
      `the closure takes ${params.length} argument(s), got ${args.length}`,
      span,
      String(params.length),
      args.length,
    );
  }
  for (let i = 0; i < args.length; i++) {
    const p = params[i] as ParamNode;
    const v = args[i] as RillValue;
    checkParam(p, v, span);
    scope.define(p.name, v);
  }
  for (let i = args.length; i < params.length; i++) {
    if ((params[i] as ParamNode).default === undefined) {
      throw arity(
        `missing argument for parameter $${(params[i] as ParamNode).name}`,
        span,
        String(params.length),
        args.length,
      );
    }
  }
  return scope;
}

function arity(message: string, span: SourceSpan, expected: string, actual: number): Error {
  return runtimeError('EVAL_ARGUMENT_COUNT', message, span, { expected, actual });
}

/** Bind an omitted parameter to its evaluated default, checking its declared type. */
export function bindDefault(scope: Scope, p: ParamNode, value: RillValue, span: SourceSpan): void {
  checkParam(p, value, span);
  scope.define(p.name, value);
}

/**
 * Turn what a closure body threw into the invocation's outcome: a `return` yields its
 * value; a `break` not meant for an enclosing collection operator is
 * `EVAL_BREAK_OUTSIDE_LOOP`; errors from another script's closure get that script's source.
 */
export function leaveClosure(
  run: Run,
  fn: ScriptClosure,
  thrown: unknown,
  allowBreak: boolean,
): RillValue {
  if (thrown instanceof ReturnSignal) return thrown.value;
  if (thrown instanceof BreakSignal && !allowBreak) throw breakOutsideLoop(thrown);
  if (fn.source !== run.source && RillError.is(thrown)) thrown.withLocation(undefined, fn.source);
  throw thrown;
}

/** `EVAL_BREAK_OUTSIDE_LOOP` for a `break` that found no loop. */
export function breakOutsideLoop(signal: BreakSignal): Error {
  return runtimeError(
    'EVAL_BREAK_OUTSIDE_LOOP',
    '`break` outside a loop or collection operator',
    signal.span,
  );
}
