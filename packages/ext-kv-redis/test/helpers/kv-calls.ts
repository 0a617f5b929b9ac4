// Calling an extension from tests: through a real script (parse + execute), or directly.
import { type ExtensionResult, RillError, type RillValue, fromHostValue } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';

/** Run a script against the extension's functions, with `variables` bound. */
export async function runScript(
  kv: ExtensionResult,
  source: string,
  variables: Record<string, unknown> = {},
): Promise<RillValue> {
  const ctx = createRuntimeContext({
    functions: kv.functions,
    variables,
    limits: { iterations: 100_000 },
  });
  return (await execute(parse(source), ctx)).result;
}

/** Call `kv::<name>` directly with plain JS arguments (defaults filled in). */
export async function call(
  kv: ExtensionResult,
  name: string,
  ...args: unknown[]
): Promise<RillValue> {
  const fn = kv.functions[`kv::${name}`];
  if (fn === undefined) throw new Error(`no kv::${name}`);
  const filled = args.map((a) => fromHostValue(a));
  for (let i = filled.length; i < fn.params.length; i++) {
    const fallback = fn.params[i]?.default;
    if (fallback === undefined) throw new Error(`kv::${name}: argument ${i + 1} is missing`);
    filled.push(fallback);
  }
  const result = await fn.fn(filled, {
    name: `kv::${name}`,
    signal: new AbortController().signal,
    span: undefined,
    invoke: () => Promise.reject(new Error('no closures here')),
  });
  return fromHostValue(result);
}

/** The coded error `work` rejects with (fails the test when it resolves or throws something else). */
export async function codeOf(work: Promise<unknown>): Promise<RillError> {
  try {
    await work;
  } catch (error) {
    if (RillError.is(error)) return error;
    throw new Error(`expected a RillError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a coded error, but the call succeeded');
}
