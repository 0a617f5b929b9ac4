import { formatError, RillError } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import type { CliConfig } from './config-schema.js';
import { createCliHost } from './create-host.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { formatResult } from './format-result.js';
import type { CliIo } from './io.js';
import type { ModuleLoader } from './module-loader.js';

/** Options of {@link checkScript}. */
export interface CheckOptions {
  /** Print stacks and causes of errors, not only the formatted error. */
  readonly verbose: boolean;
}

/** Options of {@link runScript}. */
export interface ScriptOptions extends CheckOptions {
  /** The mounts and limits of the run (a config file or `defaultConfig(cwd)`). */
  readonly config: CliConfig;
  /** Wall-clock limit for the whole run in milliseconds; overrides `config.limits.timeout`. */
  readonly timeout?: number | undefined;
  /** Cancels the run (the binary wires it to SIGINT); an abort exits with 130. */
  readonly signal?: AbortSignal | undefined;
  /** String variables the script reads as `$name` (from `--var`). */
  readonly variables?: Readonly<Record<string, string>> | undefined;
  /** Print the result as JSON (`--json`). */
  readonly isJson?: boolean | undefined;
  /** How backend packages are loaded; a dynamic `import()` by default. */
  readonly loadModule?: ModuleLoader | undefined;
}

/** Parse `source` only; report the first syntax error. */
export function checkScript(
  source: string,
  name: string,
  io: CliIo,
  options: CheckOptions,
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
 * to stderr. Every failure of the script itself is reported with `formatError` and exit 1
 * (130 when `signal` aborted it); the extensions are disposed in every case, and a failed
 * dispose (data that could not be persisted) is reported the same way.
 *
 * @throws `ConfigError` when the config's extensions cannot be created (exit 2 for the CLI).
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
  const host = await createCliHost({ config: options.config, loadModule: options.loadModule });
  let code: ExitCodeValue = ExitCode.Ok;
  try {
    const { timeout: configTimeout, ...limits } = options.config.limits;
    const timeout = options.timeout ?? configTimeout;
    const ctx = createRuntimeContext({
      functions: host.functions,
      variables: options.variables ?? {},
      callbacks: { onLog: (_value, text) => io.stderr(`${text}\n`) },
      limits,
      ...(timeout === undefined ? {} : { timeout }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const { result } = await execute(script, ctx);
    io.stdout(`${formatResult(result, options.isJson === true)}\n`);
  } catch (error) {
    code = reportError(error, io, options);
  } finally {
    try {
      await host.dispose();
    } catch (error) {
      const disposeCode = reportError(error, io, options);
      if (code === ExitCode.Ok) code = disposeCode;
    }
  }
  return code;
}

function reportError(
  error: unknown,
  io: CliIo,
  options: CheckOptions & { readonly signal?: AbortSignal | undefined },
): ExitCodeValue {
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
  const isInterrupt =
    RillError.is(error) && error.code === 'LIMIT_ABORTED' && options.signal?.aborted === true;
  return isInterrupt ? ExitCode.Interrupted : ExitCode.ScriptError;
}
