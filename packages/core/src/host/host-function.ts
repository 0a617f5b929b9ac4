import type { SourceSpan } from '../errors/span.js';
import type { RillClosure, RillTypeName, RillValue } from '../values/types.js';

/** One declared parameter of a host function. */
export interface HostParam {
  /** Name used in error messages and docs. */
  readonly name: string;
  /** Declared type; arguments of another type fail with `HOST_ARGUMENT_TYPE`. */
  readonly type: RillTypeName;
  /** Value used when the argument is omitted. A parameter with a default is optional. */
  readonly default?: RillValue;
  /** One line for docs and `--help` output. */
  readonly description?: string;
}

/** What a host function receives besides its arguments. */
export interface HostCallContext {
  /** The registered name the script called (e.g. `kv::get`). */
  readonly name: string;
  /** Aborted when the script is cancelled or times out; pass it to I/O. */
  readonly signal: AbortSignal;
  /** Where in the script the call is. */
  readonly span: SourceSpan | undefined;
  /**
   * Bytes of the run's memory budget (`limits.memory`) not yet spent, when the caller is a
   * run of the interpreter. A host function about to load a file or stored value larger
   * than this should refuse with `LIMIT_MEMORY` before loading it (docs/ref-host-api.md).
   */
  readonly memoryLeft?: number;
  /** Call a closure the script passed in, with the script's limits applied. */
  invoke(closure: RillClosure, args: readonly RillValue[]): Promise<RillValue>;
}

/**
 * A function the host makes callable from scripts.
 *
 * Arguments are checked before `fn` runs: arity (`HOST_ARGUMENT_COUNT`), declared types
 * (`HOST_ARGUMENT_TYPE`), and defaults filled in, so `args` always has one entry per param.
 * `fn` may return a value or a promise of one; `undefined`/`null` is reported as
 * `HOST_INVALID_RETURN`. A thrown `RillError` keeps its code and gains the call's location;
 * any other thrown error becomes `HOST_FUNCTION_FAILED` with the original as `cause`.
 *
 * @example
 * const greet: HostFunction = {
 *   params: [{ name: 'who', type: 'string', default: 'world' }],
 *   fn: ([who]) => `hello ${who as string}`,
 * };
 */
export interface HostFunction {
  readonly params: readonly HostParam[];
  fn(args: readonly RillValue[], ctx: HostCallContext): RillValue | Promise<RillValue>;
  readonly description?: string;
  /** Declared return type, for docs; checked when given. */
  readonly returns?: RillTypeName;
}

/** A map of registered host functions; keys may be namespaced (`kv::get`, `a::b::c`). */
export type HostFunctions = Readonly<Record<string, HostFunction>>;

/**
 * What every extension factory returns. `functions` keys are already namespaced, so hosts
 * spread them into `createRuntimeContext({ functions })`. `dispose()` persists and closes
 * everything, is idempotent, and rejects when data could not be persisted.
 */
export interface ExtensionResult {
  readonly functions: HostFunctions;
  dispose(): Promise<void>;
}

/** Valid host function names: identifiers joined by `::`. */
export const HOST_FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)*$/;
