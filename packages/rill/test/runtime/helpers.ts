/**
 * Helpers for the runtime tests: run scripts through the public API (`parse` +
 * `createRuntimeContext` + `execute`) and inspect results and errors.
 */
import { expect } from 'vitest';
import { type ErrorCode, RillError, type RillValue, toHostValue, typeOf } from '@rillkit/core';
import {
  createRuntimeContext,
  execute,
  parse,
  type RuntimeContext,
  type RuntimeOptions,
} from '../../src/index.js';

/** Parse and run `source` in an existing context. */
export async function runIn(ctx: RuntimeContext, source: string): Promise<RillValue> {
  return (await execute(parse(source, { name: 'test.rill' }), ctx)).result;
}

/** Parse and run `source` in a fresh context built from `options`. */
export function run(source: string, options: RuntimeOptions = {}): Promise<RillValue> {
  return runIn(createRuntimeContext(options), source);
}

/** {@link run}, with the result as plain JS data. */
export async function runData(source: string, options: RuntimeOptions = {}): Promise<unknown> {
  return toHostValue(await run(source, options));
}

/** Await a run expected to fail; returns the RillError (fails on success or a raw exception). */
export async function failure(promise: Promise<unknown>): Promise<RillError> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    if (!RillError.is(error))
      throw new Error(`raw exception escaped: ${String(error)}`, { cause: error });
    return error;
  }
  // Values are not printed in full: some tests build values too large to render.
  const shown =
    typeof value === 'object' ? `a ${typeOf(value as RillValue)}` : JSON.stringify(value);
  throw new Error(`expected an error, got ${shown}`);
}

/**
 * Expect `source` to fail with `code`, located in the script (span and source text);
 * returns the error for further checks.
 */
export async function expectCode(
  source: string,
  code: ErrorCode,
  options: RuntimeOptions = {},
): Promise<RillError> {
  const error = await failure(run(source, options));
  expect(error.code, `${source}: ${error.message}`).toBe(code);
  expect(error.span, 'every runtime error is located').toBeDefined();
  expect(error.source?.text).toBe(source);
  return error;
}

/** Milliseconds `promise` took to settle (whichever way). */
export async function settleTime(promise: Promise<unknown>): Promise<number> {
  const started = performance.now();
  await promise.then(
    () => undefined,
    () => undefined,
  );
  return performance.now() - started;
}

/** A promise that never settles. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}
