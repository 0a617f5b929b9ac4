import { RillError, type RillValue } from '@rillkit/core';
import type { ScriptNode } from '../ast/nodes.js';
import { analyzeScript, isSync } from './analysis.js';
import { UNBOUND } from './closure.js';
import { contextInternals, type RuntimeContext } from './context.js';
import { BreakSignal, ReturnSignal } from './control-signals.js';
import { evaluate } from './evaluate-async.js';
import { compiledStatements } from './compile-sync-flow.js';
import { breakOutsideLoop } from './invoke.js';
import { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { Scope } from './scope.js';
import { checkSize } from './size-guard.js';

/** What {@link execute} resolves to. */
export interface ExecuteResult {
  /** The value of the script's last statement (`""` for an empty script). */
  readonly result: RillValue;
}

// Whatever escapes the evaluator becomes a located RillError: a stray `break`, an engine
// stack overflow from very deep nesting (reported as the call-depth limit), a value the
// engine cannot hold, or — a bug — anything else.
function toRillError(thrown: unknown): RillError {
  if (RillError.is(thrown)) return thrown;
  if (thrown instanceof BreakSignal) return breakOutsideLoop(thrown) as RillError;
  if (thrown instanceof RangeError) {
    if (/call stack/i.test(thrown.message)) {
      return runtimeError(
        'LIMIT_CALL_DEPTH',
        'the script nests too deeply for the engine stack',
        undefined,
        undefined,
        thrown,
      );
    }
    if (/invalid (string|array) length|allocation failed/i.test(thrown.message)) {
      return runtimeError(
        'LIMIT_VALUE_SIZE',
        `a value grew too large: ${thrown.message}`,
        undefined,
        undefined,
        thrown,
      );
    }
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return runtimeError(
    'EVAL_INTERNAL',
    `internal interpreter error: ${message}`,
    undefined,
    undefined,
    thrown,
  );
}

// The result goes to host code, which will walk it: like a host-call argument, it must not
// stand for more elements than can be visited (see size-guard.ts).
function handOver(value: RillValue, script: ScriptNode): RillValue {
  if (typeof value === 'object') checkSize(value, script.span);
  return value;
}

async function run(script: ScriptNode, ctx: RuntimeContext): Promise<RillValue> {
  const internals = contextInternals(ctx);
  if (internals === undefined) {
    throw new RillError(
      'HOST_INVALID_DEFINITION',
      'execute needs a context made by createRuntimeContext',
      {},
    );
  }
  if (
    typeof script !== 'object' ||
    script === null ||
    script.type !== 'Script' ||
    !Array.isArray(script.statements)
  ) {
    throw new RillError('HOST_INVALID_DEFINITION', 'execute needs a script made by parse', {});
  }
  const state = new Run(ctx, internals, script.source);
  try {
    state.start(script.span);
    analyzeScript(script);
    const top = new Scope(internals.hostScope, 0, true);
    try {
      if (isSync(script))
        return handOver(compiledStatements(script)(state, top, UNBOUND, UNBOUND), script);
      // The statement loop is inlined (not statementsAsync) to spare short scripts, such as
      // a single host call, one promise per run.
      let value: RillValue = '';
      for (const statement of script.statements) {
        const r = evaluate(state, statement, top, UNBOUND, UNBOUND);
        value = r instanceof Promise ? await r : r;
      }
      return handOver(value, script);
    } catch (thrown) {
      if (thrown instanceof ReturnSignal) return handOver(thrown.value, script);
      throw thrown;
    }
  } finally {
    state.finish();
  }
}

/**
 * Run a parsed script. One context may run many scripts, also concurrently; each run has
 * its own limits, deadline and abort signal.
 *
 * Resolves with the value of the last statement, or of a top-level `return`. Rejects only
 * with a {@link RillError} carrying a code, the span where it happened and the script's
 * source (so `formatError` can show the line): evaluation errors (`EVAL_*`), host-call
 * errors (`HOST_*`, or the code a host function's own RillError carries), and limits
 * (`LIMIT_ITERATIONS`, `LIMIT_CALL_DEPTH`, `LIMIT_TIMEOUT`, `LIMIT_ABORTED`).
 *
 * @example
 * const { result } = await execute(parse('[1, 2, 3] -> map { $ * 2 }'), createRuntimeContext());
 */
export function execute(script: ScriptNode, ctx: RuntimeContext): Promise<ExecuteResult> {
  return run(script, ctx).then(toResult, (thrown: unknown) => {
    const error = toRillError(thrown);
    const hasScript = typeof script === 'object' && script !== null && 'span' in script;
    throw hasScript ? error.withLocation(script.span, script.source) : error;
  });
}

function toResult(result: RillValue): ExecuteResult {
  return { result };
}
