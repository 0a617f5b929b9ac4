import { RillError, type ExtensionResult, type RillValue } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';

/** Run a rill script against `ext` (plus extra host functions) and return its result. */
export async function run(
  ext: ExtensionResult,
  source: string,
  variables: Record<string, unknown> = {},
  functions: ExtensionResult['functions'] = {},
): Promise<RillValue> {
  const ctx = createRuntimeContext({ functions: { ...ext.functions, ...functions }, variables });
  return (await execute(parse(source), ctx)).result;
}

/** Run a script that must fail; returns the coded error. */
export async function runFails(
  ext: ExtensionResult,
  source: string,
  variables: Record<string, unknown> = {},
  functions: ExtensionResult['functions'] = {},
): Promise<RillError> {
  try {
    await run(ext, source, variables, functions);
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}
