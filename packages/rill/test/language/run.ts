/**
 * Shared helpers for the table-driven language tests: run a script through the public API
 * (`parse` + `createRuntimeContext` + `execute`) and compare its result or error code.
 *
 * Results are compared as plain data (`toHostValue`) AND by dict key order, because rill
 * dicts keep insertion order and a plain `toEqual` would not notice a reordering.
 */
import { expect, it } from 'vitest';
import {
  type ErrorCode,
  RillError,
  type RillValue,
  formatError,
  fromHostValue,
  isDict,
  isList,
  toHostValue,
} from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../src/index.js';

/** Context options plus the script name handed to `parse`. */
export type RunOptions = NonNullable<Parameters<typeof createRuntimeContext>[0]> & {
  readonly name?: string;
};

/** Parse and execute `source`; resolves with the result, rejects with whatever was thrown. */
export async function run(source: string, options: RunOptions = {}): Promise<RillValue> {
  const { name, ...contextOptions } = options;
  const script = name === undefined ? parse(source) : parse(source, { name });
  const ctx = createRuntimeContext(contextOptions);
  const { result } = await execute(script, ctx);
  return result;
}

/**
 * Run `source` expecting it to fail. Resolves with the RillError; fails the test when the
 * script succeeds or when something other than a RillError escapes.
 */
export async function runError(source: string, options: RunOptions = {}): Promise<RillError> {
  let value: RillValue;
  try {
    value = await run(source, options);
  } catch (error) {
    if (!RillError.is(error)) {
      throw new Error(`a raw exception escaped instead of a RillError: ${String(error)}`, { cause: error });
    }
    return error;
  }
  throw new Error(`expected an error, but the script returned ${JSON.stringify(describeValue(value))}`);
}

/** Run `source` and return its result as plain data (`toHostValue`). */
export async function runHost(source: string, options: RunOptions = {}): Promise<unknown> {
  return toHostValue(await runValue(source, options));
}

/** Like {@link run}, but an unexpected RillError fails with its formatted text (code + caret). */
export async function runValue(source: string, options: RunOptions = {}): Promise<RillValue> {
  try {
    return await run(source, options);
  } catch (error) {
    if (RillError.is(error)) throw new Error(`unexpected error:\n${formatError(error)}`, { cause: error });
    throw new Error(`a raw exception escaped instead of a RillError: ${String(error)}`, { cause: error });
  }
}

/** An expected failure in a table row. */
export class Fails {
  constructor(
    readonly codes: readonly ErrorCode[],
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly details: Readonly<Record<string, unknown>> | undefined,
  ) {}
}

/** Where and what a failure must carry besides its code. */
export interface FailsExtra {
  readonly line?: number;
  readonly column?: number;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Expect the script to fail with `code` (and, optionally, at `line:column` / with details). */
export function fails(code: ErrorCode, extra: FailsExtra = {}): Fails {
  return new Fails([code], extra.line, extra.column, extra.details);
}

/** A table row: source, expected plain-data result (or {@link Fails}), per-row options. */
export type Row = readonly [source: string, expected: unknown, options?: RunOptions];

/** Assert a rill value equals plain data `expected`, including dict key order. */
export function expectValue(actual: RillValue, expected: unknown): void {
  expect(toHostValue(actual)).toEqual(expected);
  expect(keyOrder(actual)).toEqual(keyOrder(fromHostValue(expected)));
}

/** Check one row: the result (deep, key order included) or the error code and location. */
export async function check(source: string, expected: unknown, options: RunOptions = {}): Promise<void> {
  if (expected instanceof Fails) {
    const error = await runError(source, options);
    expect(expected.codes, `got ${formatError(error)}`).toContain(error.code);
    if (expected.line !== undefined) expect(error.span?.start.line, 'error line').toBe(expected.line);
    if (expected.column !== undefined) expect(error.span?.start.column, 'error column').toBe(expected.column);
    if (expected.details !== undefined) expect(error.details).toMatchObject(expected.details);
    return;
  }
  expectValue(await runValue(source, options), expected);
}

/** Register one vitest case per row. */
export function table(rows: readonly Row[], defaults: RunOptions = {}): void {
  for (const [source, expected, options] of rows) {
    const title = `${JSON.stringify(source)} ${expected instanceof Fails ? `!! ${expected.codes.join('|')}` : '=> ' + safeJson(expected)}`;
    it(title, async () => {
      await check(source, expected, { ...defaults, ...options });
    });
  }
}

function safeJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? text.slice(0, 77) + '...' : text;
}

/** Dict key order of a value, recursively (null where no dict is involved). */
function keyOrder(value: RillValue): unknown {
  if (isList(value)) return value.map(keyOrder);
  if (isDict(value)) return [...value].map(([k, v]) => [k, keyOrder(v)]);
  return null;
}

function describeValue(value: RillValue): unknown {
  try {
    return toHostValue(value);
  } catch {
    return String(value);
  }
}
