import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { CliConfig } from './config-schema.js';
import { defaultConfig } from './default-config.js';
import type { ConfigEnv } from './env-substitution.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { type CliIo, processIo } from './io.js';
import { loadConfig } from './load-config.js';
import type { ModuleLoader } from './module-loader.js';
import { parseVarOption } from './parse-vars.js';
import { checkScript, runScript } from './run-script.js';
import { UsageError } from './usage-error.js';

/** Options for {@link runCli} beyond the arguments. */
export interface RunCliOptions {
  /** Output streams; the process streams by default. */
  readonly io?: CliIo;
  /** Cancels a running script (the binary aborts it on SIGINT); the run then exits 130. */
  readonly signal?: AbortSignal;
  /** Directory file arguments and the default mounts resolve against; `process.cwd()` by default. */
  readonly cwd?: string;
  /** What `${NAME}` references in a config file read; `process.env` by default. */
  readonly env?: ConfigEnv;
  /** How backend packages are loaded; a dynamic `import()` by default (tests inject failures). */
  readonly loadModule?: ModuleLoader;
}

/** The CLI's own version, read from its package.json (one level above src/ and dist/). */
export const CLI_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

function parseTimeout(value: string): number {
  const ms = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new InvalidArgumentError('expected a positive whole number of milliseconds');
  }
  return ms;
}

async function readScript(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new UsageError(`cannot read ${file} (${reason})`, { cause });
  }
}

/** The options `run` and `eval` share. */
interface RunOptions {
  readonly verbose?: boolean;
  readonly timeout?: number;
  readonly config?: string;
  readonly var?: Readonly<Record<string, string>>;
  readonly json?: boolean;
}

function addRunOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'mount the storage a config file names (default: see below)')
    .option('--var <name=value>', 'set the string variable $name (repeatable)', parseVarOption)
    .option('--json', 'print the result as JSON')
    .option('--timeout <ms>', 'stop the script after this many milliseconds', parseTimeout)
    .addHelpText(
      'after',
      [
        '',
        'Without --config: kv mount "state" = JSON store ./.rill/state.json (created on the',
        'first write), fs mount "files" = the current folder; both read-write.',
        'Exit codes: 0 ok, 1 script error, 2 usage or config error, 130 interrupted (Ctrl-C).',
      ].join('\n'),
    );
}

/**
 * Run the `rill` command line and resolve to its exit code; never calls `process.exit`, so it
 * can be driven from tests. `argv` excludes the node binary and script path.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(
  argv: readonly string[],
  options: RunCliOptions = {},
): Promise<ExitCodeValue> {
  const io = options.io ?? processIo;
  const cwd = options.cwd ?? process.cwd();
  let exitCode: ExitCodeValue = ExitCode.Ok;

  // The config is loaded before the script is read: a bad invocation runs nothing.
  const run = async (
    source: () => Promise<string> | string,
    name: string,
    command: Command,
  ): Promise<void> => {
    const opts = command.optsWithGlobals<RunOptions>();
    const config: CliConfig =
      opts.config === undefined
        ? defaultConfig(cwd)
        : await loadConfig(opts.config, { cwd, env: options.env ?? process.env });
    exitCode = await runScript(await source(), name, io, {
      verbose: opts.verbose === true,
      config,
      timeout: opts.timeout,
      signal: options.signal,
      variables: opts.var,
      isJson: opts.json === true,
      loadModule: options.loadModule,
    });
  };

  const program = new Command('rill')
    .description('Run rill scripts: a small, sandboxed, pipe-oriented scripting language.')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--verbose', 'print stack traces and error causes')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError();

  addRunOptions(
    program
      .command('run')
      .description('run a script file and print its result')
      .argument('<file>', 'path to a .rill script'),
  ).action(async (file: string, _opts: unknown, command: Command) => {
    await run(() => readScript(file, cwd), file, command);
  });

  addRunOptions(
    program
      .command('eval')
      .description('run the script given as an argument and print its result')
      .argument('<source>', 'rill source text'),
  ).action(async (source: string, _opts: unknown, command: Command) => {
    await run(() => source, '<eval>', command);
  });

  program
    .command('check')
    .description('parse a script file without running it')
    .argument('<file>', 'path to a .rill script')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const source = await readScript(file, cwd);
      const opts = command.optsWithGlobals<RunOptions>();
      exitCode = checkScript(source, file, io, { verbose: opts.verbose === true });
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed help, the version or the usage message.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`rill: ${error.message}\n`);
      if (program.opts<{ verbose?: boolean }>().verbose === true) printCauses(error, io);
      return ExitCode.Usage;
    }
    throw error;
  }
  return exitCode;
}

function printCauses(error: Error, io: CliIo): void {
  for (let e: unknown = error.cause; e instanceof Error; e = e.cause) {
    if (e.stack) io.stderr(`caused by: ${e.stack}\n`);
  }
}
