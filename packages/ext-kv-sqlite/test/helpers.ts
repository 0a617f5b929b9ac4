import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ExtensionResult,
  type RillError,
  type RillValue,
  RillError as RillErrorClass,
  fromHostValue,
} from '@rillkit/core';
import { afterEach, expect } from 'vitest';

const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rillkit-sqlite-test-'));
  dirs.push(dir);
  return dir;
}

/** Call `kv::<fn>` directly, as a host would (plain JS arguments, defaults filled). */
export async function call(
  ext: ExtensionResult,
  fn: string,
  ...args: unknown[]
): Promise<RillValue> {
  const name = fn.includes('::') ? fn : `kv::${fn}`;
  const host = ext.functions[name];
  if (host === undefined) throw new Error(`no function ${name}`);
  const filled = args.map((a) => fromHostValue(a));
  for (let i = filled.length; i < host.params.length; i++) {
    const fallback = host.params[i]?.default;
    if (fallback !== undefined) filled.push(fallback);
  }
  return host.fn(filled, {
    name,
    signal: new AbortController().signal,
    span: undefined,
    invoke: () => Promise.reject(new Error('no closures here')),
  }) as Promise<RillValue>;
}

/** Expect `promise` (or `fn()`) to fail with a coded rill error; returns it. */
export async function failsWith(
  code: string,
  action: Promise<unknown> | (() => unknown),
): Promise<RillError> {
  let error: unknown;
  try {
    await (typeof action === 'function' ? action() : action);
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected ${code}`).toBeDefined();
  expect(RillErrorClass.is(error), `a RillError, got ${String(error)}`).toBe(true);
  expect((error as RillError).code, (error as Error).message).toBe(code);
  return error as RillError;
}

/** A dict value from pairs. */
export function dict(...pairs: (readonly [string, RillValue])[]): ReadonlyMap<string, RillValue> {
  return new Map(pairs);
}
