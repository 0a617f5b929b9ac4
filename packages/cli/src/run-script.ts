import { formatError, RillError } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import { type CliExtensionFactory, createCliHost } from './create-host.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { formatResult } from './format-result.js';
import type { CliIo } from './io.js';

/** Options shared by every command that parses or runs a script. */
export interface ScriptOptions {
  /** Print stacks and causes of errors, not only the formatted error. */
  readonly verbose: boolean;
  /** Wall-clock limit for the whole run, in milliseconds. */
  readonly timeout?: number | undefined;
  /** Cancels the run (the binary wires it to SIGINT). */
  readonly signal?: AbortSignal | undefined;
  /** Directory extension options resolve against. */
  readonly cwd: string;
  /** Extensions to mount; the CLI defaults when omitted. */
  readonly extensions?: readonly CliExtensionFactory[] | undefined;
}

/** Parse `source` only; report the first syntax error. */
export function checkScript(
  source: string,
  name: string,
  io: CliIo,
  options: ScriptOptions,
): ExitCodeValue {
  try {
    parse(source, { name });
  } catch (error) {
    return reportError(error, io, options);
  }
  io.stdout(`${name}: ok\n`);
  return ExitCode.Ok;
}

/**
 * Parse and execute `source`, printing the result to stdout and the script's `log` output
 * to stderr. Every failure of the script itself is reported with `formatError` and exit 1.
 */
export async function runScript(
  source: string,
  name: string,
  io: CliIo,
  options: ScriptOptions,
): Promise<ExitCodeValue> {
  let script;
  try {
    script = parse(source, { name });
  } catch (error) {
    return reportError(error, io, options);
  }
  const host = await createCliHost({ cwd: options.cwd }, options.extensions);
  let code: ExitCodeValue = ExitCode.Ok;
  try {
    const ctx = createRuntimeContext({
      functions: host.functions,
      callbacks: { onLog: (_value, text) => io.stderr(`${text}\n`) },
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const { result } = await execute(script, ctx);
    io.stdout(`${formatResult(result)}\n`);
  } catch (error) {
    code = reportError(error, io, options);
  } finally {
    try {
      await host.dispose();
    } catch (error) {
      code = reportError(error, io, options);
    }
  }
  return code;
}

function reportError(error: unknown, io: CliIo, options: ScriptOptions): ExitCodeValue {
  io.stderr(`${formatError(error)}\n`);
  if (options.verbose) {
    for (let e: unknown = error; e !== undefined; e = e instanceof Error ? e.cause : undefined) {
      if (e instanceof Error && e.stack)
        io.stderr(`${e === error ? '' : 'caused by: '}${e.stack}\n`);
    }
  } else if (!RillError.is(error)) {
    // Not a script error but a bug somewhere in rillkit: the stack is what a report needs.
    io.stderr('(run again with --verbose for the stack trace)\n');
  }
  return ExitCode.ScriptError;
}
