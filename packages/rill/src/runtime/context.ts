import {
  DEFAULT_MAX_DEPTH,
  fromHostValue,
  HOST_FUNCTION_NAME,
  type HostFunction,
  type HostFunctions,
  hasType,
  isTypeName,
  type RillTypeName,
  type RillValue,
  RillError,
} from '@rillkit/core';
import { BUILTIN_FUNCTION_NAMES } from './builtins/functions.js';
import { Scope } from './scope.js';

/** Resource limits of one `execute` (docs/ref-host-api.md, "Limits"). */
export interface RuntimeLimits {
  /** Iterations allowed per loop or collection-operator invocation (and per `range`). */
  readonly iterations: number;
  /**
   * Steps allowed in the whole run: every loop iteration, collection element, closure
   * call and host call is one (`LIMIT_STEPS`), so nested loops cannot multiply past it.
   */
  readonly steps: number;
  /**
   * Bytes of values the run may create: strings, lists, dicts and closures are charged
   * when built (values it later drops still count), host results when they arrive
   * (`LIMIT_MEMORY`, raised before the value is made).
   */
  readonly memory: number;
  /** How deep values may nest: a list or dict holding only scalars is 1 deep (`LIMIT_VALUE_DEPTH`). */
  readonly depth: number;
  /** Nested closure and host-function invocations allowed. */
  readonly callDepth: number;
  /** `map`/`filter` bodies allowed in flight at once. */
  readonly concurrency: number;
}

/**
 * Default limits: 10,000 iterations per loop, 10 million steps, 64 MiB of values, values
 * 1,000 deep, call depth 200, 16 concurrent `map` bodies.
 */
export const DEFAULT_LIMITS: RuntimeLimits = Object.freeze({
  iterations: 10_000,
  steps: 10_000_000,
  memory: 64 * 1024 * 1024,
  depth: DEFAULT_MAX_DEPTH,
  callDepth: 200,
  concurrency: 16,
});

/** Callbacks the script can reach through built-ins. */
export interface RuntimeCallbacks {
  /** Receives every `log(v)`: the value and its text (strings as-is, others as literals). */
  readonly onLog?: (value: RillValue, text: string) => void;
}

/** Hooks around host calls, for tracing and metrics. Errors they throw are ignored. */
export interface RuntimeObservability {
  readonly onHostCall?: (event: { name: string; args: readonly RillValue[] }) => void;
  readonly onHostReturn?: (event: { name: string; value: RillValue; durationMs: number }) => void;
}

/** Options of {@link createRuntimeContext}. */
export interface RuntimeOptions {
  /** Host functions by (possibly namespaced) name, e.g. `{ 'kv::get': ... }`. */
  readonly functions?: HostFunctions;
  /** Variables visible to scripts as `$name`; plain JS data, converted to rill values. */
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly callbacks?: RuntimeCallbacks;
  /** Wall-clock limit for one whole `execute`, in milliseconds (`LIMIT_TIMEOUT`). */
  readonly timeout?: number;
  /** Aborting it stops every running and future `execute` (`LIMIT_ABORTED`). */
  readonly signal?: AbortSignal;
  readonly limits?: Partial<RuntimeLimits>;
  readonly observability?: RuntimeObservability;
}

/**
 * A validated, reusable configuration for running scripts. It holds no per-run state, so
 * one context may serve many `execute` calls, also concurrently.
 */
export interface RuntimeContext {
  readonly functions: ReadonlyMap<string, HostFunction>;
  readonly variables: ReadonlyMap<string, RillValue>;
  readonly limits: RuntimeLimits;
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
  readonly callbacks: RuntimeCallbacks;
  readonly observability: RuntimeObservability;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A host function as the runtime calls it: params normalised, defaults converted. */
export interface ResolvedHostFunction {
  readonly name: string;
  readonly def: HostFunction;
  readonly params: readonly {
    readonly name: string;
    readonly type: RillTypeName;
    readonly default: RillValue | undefined;
  }[];
  /** Number of parameters without a default (they come first). */
  readonly required: number;
}

/** What a run needs from its context beyond the public fields. */
export interface ContextInternals {
  /** Host variables: one scope per context that every run's top level reads through. */
  readonly hostScope: Scope;
  readonly functions: ReadonlyMap<string, ResolvedHostFunction>;
}

const INTERNALS = new WeakMap<RuntimeContext, ContextInternals>();

/** Internals of a context made by {@link createRuntimeContext}; undefined for anything else. */
export function contextInternals(ctx: RuntimeContext): ContextInternals | undefined {
  return INTERNALS.get(ctx);
}

function invalid(message: string, details: Record<string, unknown>, cause?: unknown): RillError {
  return new RillError('HOST_INVALID_DEFINITION', message, { details, cause });
}

const OPTION_KEYS: readonly (keyof RuntimeOptions)[] = [
  'functions',
  'variables',
  'callbacks',
  'timeout',
  'signal',
  'limits',
  'observability',
];
const LIMIT_KEYS: readonly (keyof RuntimeLimits)[] = [
  'iterations',
  'steps',
  'memory',
  'depth',
  'callDepth',
  'concurrency',
];
const CALLBACK_KEYS: readonly (keyof RuntimeCallbacks)[] = ['onLog'];
const OBSERVABILITY_KEYS: readonly (keyof RuntimeObservability)[] = ['onHostCall', 'onHostReturn'];

/** Refuse keys an options object (or one of its groups) does not have. */
function checkKeys(prefix: string, group: unknown, known: readonly string[]): void {
  if (group === undefined) return;
  if (typeof group !== 'object' || group === null || Array.isArray(group)) {
    throw invalid(`${prefix.slice(0, -1)} must be an object`, { option: prefix.slice(0, -1) });
  }
  for (const key of Object.keys(group)) {
    if (!known.includes(key)) {
      throw invalid(`unknown option ${prefix}${key} (known: ${known.join(', ')})`, {
        option: `${prefix}${key}`,
      });
    }
  }
}

function resolveFunction(name: string, def: HostFunction): ResolvedHostFunction {
  if (!HOST_FUNCTION_NAME.test(name)) {
    throw invalid(`host function name "${name}" is not an identifier or ns::name`, { name });
  }
  if (BUILTIN_FUNCTION_NAMES.has(name)) {
    throw invalid(`host function "${name}" would hide the built-in function of that name`, {
      name,
    });
  }
  if (
    typeof def !== 'object' ||
    def === null ||
    typeof def.fn !== 'function' ||
    !Array.isArray(def.params)
  ) {
    throw invalid(`host function "${name}" needs a params array and an fn function`, { name });
  }
  if (def.returns !== undefined && !isTypeName(def.returns)) {
    throw invalid(`host function "${name}" declares unknown return type "${String(def.returns)}"`, {
      name,
    });
  }
  const seen = new Set<string>();
  const params: ResolvedHostFunction['params'][number][] = [];
  let optionalSeen = false;
  for (const p of def.params) {
    const param = typeof p === 'object' && p !== null ? p.name : undefined;
    if (typeof param !== 'string' || !IDENTIFIER.test(param) || seen.has(param)) {
      throw invalid(
        `host function "${name}" has a missing, malformed or duplicate parameter name`,
        {
          name,
          param,
        },
      );
    }
    seen.add(param);
    if (!isTypeName(p.type)) {
      throw invalid(`parameter "${param}" of "${name}" has unknown type "${String(p.type)}"`, {
        name,
        param,
      });
    }
    if (p.default === undefined) {
      if (optionalSeen) {
        throw invalid(`required parameter "${param}" of "${name}" follows an optional one`, {
          name,
          param,
        });
      }
      params.push({ name: param, type: p.type, default: undefined });
      continue;
    }
    optionalSeen = true;
    let value: RillValue;
    try {
      value = fromHostValue(p.default, `${name}.${param}.default`);
    } catch (cause) {
      throw invalid(
        `default of parameter "${param}" of "${name}" is not a rill value`,
        { name, param },
        cause,
      );
    }
    if (!hasType(value, p.type)) {
      throw invalid(`default of parameter "${param}" of "${name}" is not a ${p.type}`, {
        name,
        param,
      });
    }
    params.push({ name: param, type: p.type, default: value });
  }
  const required = params.filter((p) => p.default === undefined).length;
  return { name, def, params, required };
}

function checkLimit(key: keyof RuntimeLimits, value: unknown): number {
  if (value === undefined) return DEFAULT_LIMITS[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`limits.${key} must be a positive integer`, { limit: key, value: String(value) });
  }
  return value;
}

function checkCallback(where: string, fn: unknown): void {
  if (fn !== undefined && typeof fn !== 'function')
    throw invalid(`${where} must be a function`, { option: where });
}

/**
 * Validate options and build a context for {@link execute}.
 *
 * @throws RillError `HOST_INVALID_DEFINITION` for a function name that is not `name` or
 * `ns::name`, a name of a built-in function (`log json parse_json range type`), malformed
 * params (unknown type, required after optional, a default not of its declared type), a
 * variable name that is not an identifier or a variable value with no rill form, limits
 * that are not positive integers, or a timeout that is not a positive number.
 *
 * @example
 * const ctx = createRuntimeContext({ variables: { name: 'alice' }, timeout: 1000 });
 */
export function createRuntimeContext(options: RuntimeOptions = {}): RuntimeContext {
  if (typeof options !== 'object' || options === null) {
    throw invalid('createRuntimeContext takes an options object', { option: '' });
  }
  // A misspelt option (`limit`, `iteration`, `onlog`) would otherwise be dropped without a
  // word, leaving the default the host meant to change.
  checkKeys('', options, OPTION_KEYS);
  checkKeys('limits.', options.limits, LIMIT_KEYS);
  checkKeys('callbacks.', options.callbacks, CALLBACK_KEYS);
  checkKeys('observability.', options.observability, OBSERVABILITY_KEYS);
  const functions = new Map<string, HostFunction>();
  const resolved = new Map<string, ResolvedHostFunction>();
  for (const [name, def] of Object.entries(options.functions ?? {})) {
    resolved.set(name, resolveFunction(name, def));
    functions.set(name, def);
  }
  const limits: RuntimeLimits = Object.freeze({
    iterations: checkLimit('iterations', options.limits?.iterations),
    steps: checkLimit('steps', options.limits?.steps),
    memory: checkLimit('memory', options.limits?.memory),
    depth: checkLimit('depth', options.limits?.depth),
    callDepth: checkLimit('callDepth', options.limits?.callDepth),
    concurrency: checkLimit('concurrency', options.limits?.concurrency),
  });
  const variables = new Map<string, RillValue>();
  for (const [name, raw] of Object.entries(options.variables ?? {})) {
    if (!IDENTIFIER.test(name))
      throw invalid(`variable name "${name}" is not an identifier`, { name });
    try {
      variables.set(name, fromHostValue(raw, `variables.${name}`, limits.depth));
    } catch (cause) {
      throw invalid(`variable "${name}" has no rill value`, { name }, cause);
    }
  }
  const timeout = options.timeout;
  if (
    timeout !== undefined &&
    (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout <= 0)
  ) {
    throw invalid('timeout must be a positive number of milliseconds', {
      option: 'timeout',
      value: String(timeout),
    });
  }
  const signal = options.signal;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function')
  ) {
    throw invalid('signal must be an AbortSignal', { option: 'signal' });
  }
  checkCallback('callbacks.onLog', options.callbacks?.onLog);
  checkCallback('observability.onHostCall', options.observability?.onHostCall);
  checkCallback('observability.onHostReturn', options.observability?.onHostReturn);

  const ctx: RuntimeContext = Object.freeze({
    functions,
    variables,
    limits,
    timeout,
    signal,
    callbacks: Object.freeze({ ...options.callbacks }),
    observability: Object.freeze({ ...options.observability }),
  });
  INTERNALS.set(ctx, { hostScope: new Scope(undefined, 0, false, variables), functions: resolved });
  return ctx;
}
