import type { ErrorCode, RillError, RillValue } from '@rillkit/core';
import { type CallPath, callHost, callScript, callVariables, runScript } from './run-script.js';
import { describeCall, showValue } from './show-value.js';
import type { SuiteInstance, SuiteScope } from './suite-scope.js';

/** The scope a store reports to: it checks codes and the details each namespace promises. */
export interface StoreScope<Fn extends string> extends SuiteScope<SuiteInstance> {
  checkDetails(err: RillError, fn: Fn, args: readonly unknown[]): void;
}

/**
 * One live extension instance of either namespace, with helpers to call its functions by
 * script or directly. `KvStore` and `FsStore` add what only their namespace needs.
 */
export abstract class ExtensionStore<Fn extends string, Instance extends SuiteInstance> {
  constructor(
    private readonly namespace: 'kv' | 'fs',
    protected readonly scope: StoreScope<Fn>,
    readonly instance: Instance,
    /** The default path of {@link call}. */
    readonly via: CallPath,
  ) {}

  /** Call `<ns>::<fn>(args...)` through this store's default path. */
  call(fn: Fn, ...args: unknown[]): Promise<RillValue> {
    return this.via === 'script' ? this.script(fn, ...args) : this.direct(fn, ...args);
  }

  /** Call through a one-line script; arguments travel as variables. */
  script(fn: Fn, ...args: unknown[]): Promise<RillValue> {
    return runScript(
      this.instance.functions,
      callScript(`${this.namespace}::${fn}`, args.length),
      callVariables(args),
    );
  }

  /** Call `functions['<ns>::<fn>'].fn(args, ctx)` directly. */
  direct(fn: Fn, ...args: unknown[]): Promise<RillValue> {
    return callHost(this.instance.functions, `${this.namespace}::${fn}`, args);
  }

  /** Run a whole script against this instance. */
  run(source: string, variables: Record<string, unknown> = {}): Promise<RillValue> {
    return runScript(this.instance.functions, source, variables);
  }

  /** Expect a whole script to fail with `code`. */
  runFails(
    code: ErrorCode,
    source: string,
    variables: Record<string, unknown> = {},
  ): Promise<RillError> {
    return this.scope.expectCode(this.run(source, variables), code);
  }

  /**
   * Expect `<ns>::<fn>(args...)` to fail with `code`; the scope also checks the details
   * (`details.mount`, and the key or path where the namespace promises one). Returns the error.
   */
  async fails(code: ErrorCode, fn: Fn, ...args: unknown[]): Promise<RillError> {
    const err = await this.scope.expectCode(
      this.call(fn, ...args),
      code,
      describeCall(this.namespace, fn, args, this.via),
    );
    this.scope.checkDetails(err, fn, args);
    return err;
  }

  /** Assert that `<ns>::<fn>(args...)` returns exactly `expected` (type, contents, order). */
  async expectCall(expected: unknown, fn: Fn, ...args: unknown[]): Promise<void> {
    const actual = await this.call(fn, ...args);
    this.scope
      .expect(showValue(actual), describeCall(this.namespace, fn, args, this.via))
      .toBe(showValue(expected));
  }

  /** Everything stored under `mount`, rendered, for "nothing changed" checks. */
  abstract snapshot(mount: string): Promise<string>;

  dispose(): Promise<void> {
    return this.instance.dispose();
  }
}
