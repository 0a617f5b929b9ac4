import {
  fromHostValue,
  hasType,
  type HostCallContext,
  type RillClosure,
  RillError,
  type RillValue,
  type SourceSpan,
  typeOf,
} from '@rillkit/core';
import { chargeValue } from './budget.js';
import { checkArgs } from './call-args.js';
import { checkSize } from './size-guard.js';
import type { ScriptClosure } from './closure.js';
import type { ResolvedHostFunction } from './context.js';
import { asClosure, checkDepth } from './invoke.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';

/** How host code re-enters the script: invoke a closure at a call depth. */
export type InvokeClosure = (
  run: Run,
  fn: ScriptClosure,
  args: readonly RillValue[],
  depth: number,
  span: SourceSpan,
) => Promise<RillValue>;

// Observers must never break a script: whatever they throw is dropped.
function notify<E>(observer: ((event: E) => void) | undefined, event: E): void {
  if (observer === undefined) return;
  try {
    observer(event);
  } catch {
    // ignored on purpose
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

function failure(run: Run, name: string, thrown: unknown, span: SourceSpan): Error {
  const isRill = RillError.is(thrown);
  // A host call that fails because the run was stopped reports the stop, not the symptom.
  if (run.stopped !== undefined && !(isRill && thrown.code.startsWith('LIMIT_')))
    return run.interruption(span);
  if (isRill) return thrown.withLocation(span, run.source);
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return runtimeError(
    'HOST_FUNCTION_FAILED',
    `${name} failed: ${message}`,
    span,
    { name, message },
    thrown,
  );
}

function toValue(run: Run, fn: ResolvedHostFunction, raw: unknown, span: SourceSpan): RillValue {
  let value: RillValue;
  try {
    value = fromHostValue(raw, 'result', run.limits.depth);
  } catch (cause) {
    // A result too deep for the run's limits is a limit, not a malformed return.
    if (RillError.is(cause) && cause.code.startsWith('LIMIT_'))
      throw cause.withLocation(span, run.source);
    const details = RillError.is(cause) ? cause.details : {};
    throw runtimeError(
      'HOST_INVALID_RETURN',
      `${fn.name} returned a value rill cannot hold`,
      span,
      { name: fn.name, ...details },
      cause,
    );
  }
  const returns = fn.def.returns;
  if (returns !== undefined && !hasType(value, returns)) {
    throw runtimeError(
      'HOST_INVALID_RETURN',
      `${fn.name} must return a ${returns}, returned a ${typeOf(value)}`,
      span,
      {
        name: fn.name,
        expected: returns,
        actual: typeOf(value),
      },
    );
  }
  // Charged once it is a rill value: the host already made it, but the script now holds it.
  chargeValue(run, value, span);
  return value;
}

/**
 * Call a host function with the arguments the script passed (after `$` insertion): checks
 * arity and types (`HOST_ARGUMENT_*`), fills defaults, runs it racing the run's stop
 * signal, and converts its result. `depth` is the call depth of the host call itself.
 */
export function callHost(
  run: Run,
  fn: ResolvedHostFunction,
  written: RillValue[],
  depth: number,
  span: SourceSpan,
  invoke: InvokeClosure,
): RillValue | Promise<RillValue> {
  const args = checkArgs('HOST', fn.name, fn.params, fn.required, written, span);
  // Host code walks what it is given (to store, send or print it); a value that shares its
  // parts can stand for billions of elements in a few kilobytes, so it is refused here.
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as RillValue;
    if (typeof arg === 'object') checkSize(arg, span);
  }
  checkDepth(run, depth, span);
  run.tick(span);
  const observability = run.ctx.observability;
  if (observability.onHostCall !== undefined)
    notify(observability.onHostCall, { name: fn.name, args });
  const started = observability.onHostReturn === undefined ? 0 : performance.now();
  const ctx = new HostCall(run, fn.name, span, depth, invoke);
  let raw: unknown;
  // Counted while in flight (see HostCall.memoryLeft): until it returns, or its promise settles.
  run.hostCalls++;
  let pending = false;
  try {
    raw = fn.def.fn(args, ctx);
    pending = isThenable(raw);
  } catch (thrown) {
    throw failure(run, fn.name, thrown, span);
  } finally {
    if (!pending) run.hostCalls--;
  }
  // A host function that answers synchronously is not made to pay for a promise.
  if (!pending) return settle(run, fn, raw, span, started);
  return run
    .race(raw as PromiseLike<unknown>, span)
    .finally(() => run.hostCalls--)
    .then(
      (value) => settle(run, fn, value, span, started),
      (thrown: unknown) => {
        throw failure(run, fn.name, thrown, span);
      },
    );
}

function settle(
  run: Run,
  fn: ResolvedHostFunction,
  raw: unknown,
  span: SourceSpan,
  started: number,
): RillValue {
  const value = toValue(run, fn, raw, span);
  const onHostReturn = run.ctx.observability.onHostReturn;
  if (onHostReturn !== undefined) {
    notify(onHostReturn, { name: fn.name, value, durationMs: performance.now() - started });
  }
  return value;
}

/**
 * The context a host function receives. A class rather than an object literal: the signal
 * is a prototype getter, so the run creates its AbortController only for hosts that use it,
 * and creating the context stays a plain allocation on the hot path.
 */
class HostCall implements HostCallContext {
  constructor(
    private readonly run: Run,
    readonly name: string,
    readonly span: SourceSpan,
    private readonly depth: number,
    private readonly invokeClosure: InvokeClosure,
  ) {}

  get signal(): AbortSignal {
    return this.run.signal;
  }

  // Host calls in flight at once (`map` runs up to `limits.concurrency`) share what is
  // left: each sees its share when it asks, so together they cannot load many times the
  // budget before their results are charged (at most the harmonic sum of the shares).
  get memoryLeft(): number {
    const calls = this.run.hostCalls;
    return calls > 1 ? Math.floor(this.run.memoryLeft / calls) : this.run.memoryLeft;
  }

  invoke(closure: RillClosure, args: readonly RillValue[]): Promise<RillValue> {
    const span = this.span;
    return Promise.resolve().then(() =>
      this.invokeClosure(
        this.run,
        asClosure(closure, span),
        args.map((v, i) => {
          // What the host hands the closure is new to the script: charged like a result.
          const value = fromHostValue(v, `args[${i}]`, this.run.limits.depth);
          chargeValue(this.run, value, span);
          return value;
        }),
        this.depth + 1,
        span,
      ),
    );
  }
}
