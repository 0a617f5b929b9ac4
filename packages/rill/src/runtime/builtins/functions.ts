import {
  parseJsonValue,
  RillError,
  type RillValue,
  type SourceSpan,
  stringifyValue,
  typeOf,
} from '@rillkit/core';
import type { ParamSpec } from '../call-args.js';
import { iterationLimit } from '../collections.js';
import type { Run } from '../run.js';
import { runtimeError } from '../runtime-error.js';
import { chargedRender, chargeValue, listBytes } from '../budget.js';
import { toText } from '../strings.js';

/** A built-in function: declared params plus a synchronous implementation. */
export interface BuiltinFunction {
  readonly params: readonly ParamSpec[];
  readonly required: number;
  readonly call: (run: Run, args: readonly RillValue[], span: SourceSpan) => RillValue;
}

const any = (name: string): ParamSpec => ({ name, type: 'any', default: undefined });
const num = (name: string, dflt?: number): ParamSpec => ({ name, type: 'number', default: dflt });

// Errors from core helpers carry no location; give them the call's.
function located<T>(span: SourceSpan, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (RillError.is(e)) e.withLocation(span, undefined);
    throw e;
  }
}

function log(run: Run, args: readonly RillValue[], span: SourceSpan): RillValue {
  const value = args[0] as RillValue;
  const onLog = run.ctx.callbacks.onLog;
  if (onLog !== undefined) {
    // Rendering is the script's work (and its errors are the script's), not the callback's.
    const text = toText(run, value, span);
    try {
      onLog(value, text);
    } catch (cause) {
      if (RillError.is(cause)) throw cause.withLocation(span, undefined);
      throw runtimeError(
        'HOST_FUNCTION_FAILED',
        `the onLog callback threw: ${String(cause)}`,
        span,
        { name: 'log' },
        cause,
      );
    }
  }
  return value;
}

function range(run: Run, args: readonly RillValue[], span: SourceSpan): RillValue {
  const [start, stop, step] = args as readonly number[];
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw runtimeError(
      'EVAL_INVALID_ARGUMENT',
      'range needs finite numbers and a non-zero step',
      span,
      {
        name: 'range',
        start,
        stop,
        step,
      },
    );
  }
  const count = Math.max(0, Math.ceil(((stop as number) - (start as number)) / (step as number)));
  if (count > run.limits.iterations) throw iterationLimit(run, span);
  run.charge(listBytes(count), span);
  const out = new Array<RillValue>(count);
  for (let i = 0; i < count; i++) out[i] = (start as number) + i * (step as number);
  return Object.freeze(out);
}

/** The built-in functions, looked up before host functions. */
export const BUILTIN_FUNCTIONS: ReadonlyMap<string, BuiltinFunction> = new Map<
  string,
  BuiltinFunction
>([
  ['log', { params: [any('value')], required: 1, call: log }],
  [
    'json',
    {
      params: [any('value')],
      required: 1,
      call: (run, a, s) =>
        chargedRender(run, a[0] as RillValue, s, (v) => located(s, () => stringifyValue(v))),
    },
  ],
  [
    'parse_json',
    {
      params: [{ name: 'text', type: 'string', default: undefined }],
      required: 1,
      call: (run, a, s) => {
        const text = a[0] as string;
        // Parsing holds the engine's own copy of the data as well as ours.
        run.charge(2 * text.length, s);
        const value = located(s, () => parseJsonValue(text, run.limits.depth));
        chargeValue(run, value, s);
        return value;
      },
    },
  ],
  ['range', { params: [num('start'), num('stop'), num('step', 1)], required: 2, call: range }],
  ['type', { params: [any('value')], required: 1, call: (_r, a) => typeOf(a[0] as RillValue) }],
]);

/** Names host functions may not take. */
export const BUILTIN_FUNCTION_NAMES: ReadonlySet<string> = new Set(BUILTIN_FUNCTIONS.keys());
