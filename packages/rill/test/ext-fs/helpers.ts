import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canPinFolders } from '../../src/ext/fs/folder-scope.js';
import {
  RillError,
  toHostValue,
  type ExtensionResult,
  type HostCallContext,
  type RillValue,
} from '@rillkit/core';

const ctx: HostCallContext = {
  name: 'test',
  signal: new AbortController().signal,
  span: undefined,
  invoke: async () => '',
};

/** Call a registered function as the runtime does (positional args, defaults filled). */
export async function call(
  ext: ExtensionResult,
  name: string,
  ...args: RillValue[]
): Promise<unknown> {
  const fn = ext.functions[name];
  if (fn === undefined) throw new Error(`no function ${name}`);
  const full = fn.params.map((p, i) => args[i] ?? p.default ?? '');
  return toHostValue(await fn.fn(full, ctx));
}

/** The rillkit error a call fails with (fails the test if it succeeds or throws raw). */
export async function failure(run: () => unknown): Promise<RillError> {
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    if (RillError.is(error)) return error;
    throw new Error(`raw error escaped: ${String(error)}`, { cause: error });
  }
  throw new Error(`expected an error, got ${JSON.stringify(result)}`);
}

/** The code of the rillkit error a call fails with. */
export async function codeOf(run: () => unknown): Promise<string> {
  return (await failure(run)).code;
}

/** A fresh real (symlink-free) temp folder and a function that removes it. */
export function tempDir(label: string): { dir: string; cleanup: () => void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `rill-fs-${label}-`)));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Whether tests of held folders skip here: only off Linux, or on a Linux without a usable
 * /proc/self/fd (docs/guide-local-fs.md, "Swapped folders"). On Linux under CI they always
 * run, so a broken /proc there fails them instead of skipping them.
 */
export const skipHeldFolders =
  process.platform !== 'linux' ||
  (!(await canPinFolders(process.cwd())) && (process.env['CI'] ?? '') === '');
