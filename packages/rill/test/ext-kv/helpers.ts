/**
 * Shared helpers for the JSON/memory kv backend tests: temp folders, running scripts
 * through the public API, and direct calls of registered functions.
 */
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  type ExtensionResult,
  type HostCallContext,
  RillError,
  type RillValue,
  fromHostValue,
  toHostValue,
} from '@rillkit/core';
import { type CreateKvExtensionOptions, createKvExtension } from '../../src/ext/kv/index.js';
import { createRuntimeContext, execute, parse } from '../../src/index.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A fresh real temp folder, removed after the current test. */
export function tempDir(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'rill-kv-')));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Run a script with the extension's functions; resolves with the result as plain JS. */
export async function run(ext: ExtensionResult, source: string): Promise<unknown> {
  const ctx = createRuntimeContext({ functions: ext.functions, limits: { iterations: 100_000 } });
  const { result } = await execute(parse(source, { name: 'kv-test.rill' }), ctx);
  return toHostValue(result);
}

const ctx: HostCallContext = {
  name: 'test',
  signal: new AbortController().signal,
  span: undefined,
  invoke: async () => '',
};

/** Call `kv::<name>` directly with plain JS arguments; resolves with plain JS. */
export async function call(
  ext: ExtensionResult,
  name: string,
  ...args: unknown[]
): Promise<unknown> {
  const fn = ext.functions[`kv::${name}`];
  if (fn === undefined) throw new Error(`no function kv::${name}`);
  const values: RillValue[] = args.map((a) => fromHostValue(a));
  const full = fn.params.map((p, i) => values[i] ?? p.default).filter((v) => v !== undefined);
  return toHostValue(await fn.fn(full, ctx));
}

/** The rillkit error a promise rejects with (fails the test on success or a raw error). */
export async function failure(promise: Promise<unknown>): Promise<RillError> {
  let result: unknown;
  try {
    result = await promise;
  } catch (error) {
    if (RillError.is(error)) return error;
    throw new Error(`raw error escaped: ${String(error)}`, { cause: error });
  }
  throw new Error(`expected an error, got ${JSON.stringify(result)}`);
}

/** The parsed store file. */
export function readStore(file: string): {
  version: number;
  revision: number;
  values: Record<string, unknown>;
  expires?: Record<string, number>;
} {
  return JSON.parse(readFileSync(file, 'utf8')) as never;
}

/** The coded error `createKvExtension(options)` throws (fails the test when it does not). */
export function configError(options: unknown): RillError {
  try {
    createKvExtension(options as CreateKvExtensionOptions);
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('expected KV_INVALID_CONFIG');
}
