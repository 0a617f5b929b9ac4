import { fromHostValue, type HostFunctions, type RillValue } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';

/** How a suite call reaches the extension: a generated script, or `fn` called directly. */
export type CallPath = 'script' | 'direct';

/**
 * Parse and execute `source` with `functions` registered and `variables` bound (plain JS or
 * rill values; converted by the runtime). Resolves with the script's result.
 */
export async function runScript(
  functions: HostFunctions,
  source: string,
  variables: Record<string, unknown> = {},
): Promise<RillValue> {
  const script = parse(source, { name: 'conformance.rill' });
  const ctx = createRuntimeContext({ functions, variables, limits: { iterations: 100_000 } });
  const { result } = await execute(script, ctx);
  return result;
}

/**
 * Call a registered host function directly, the way the runtime would: arguments converted
 * to rill values, omitted trailing arguments filled from the declared defaults. Skips the
 * runtime's own arity and type checks on purpose, so policy must hold on its own.
 */
export async function callHost(
  functions: HostFunctions,
  name: string,
  args: readonly unknown[],
): Promise<RillValue> {
  const fn = functions[name];
  if (fn === undefined) throw new Error(`the extension does not register ${name}`);
  const filled: RillValue[] = args.map((a, i) => fromHostValue(a, `argument ${i + 1}`));
  for (let i = filled.length; i < fn.params.length; i++) {
    const param = fn.params[i];
    if (param?.default === undefined) {
      throw new Error(`${name}: missing argument ${param?.name ?? i + 1} has no default`);
    }
    filled.push(param.default);
  }
  const controller = new AbortController();
  const result = await fn.fn(filled, {
    name,
    signal: controller.signal,
    span: undefined,
    invoke: () => Promise.reject(new Error('the conformance suite passes no closures')),
  });
  // Host functions may return plain data; the runtime converts it the same way.
  return fromHostValue(result);
}

/**
 * Build a one-call script for `name(args...)`: every argument travels as a variable, so any
 * string (control characters, astral Unicode) reaches the backend exactly.
 */
export function callScript(name: string, argCount: number): string {
  const params = Array.from({ length: argCount }, (_, i) => `$a${i}`).join(', ');
  return `${name}(${params})`;
}

/** Variables `a0..aN` for {@link callScript}. */
export function callVariables(args: readonly unknown[]): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  args.forEach((a, i) => {
    vars[`a${i}`] = a;
  });
  return vars;
}
