import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { type CliIo, processIo } from './io.js';
import { checkScript, runScript, type ScriptOptions } from './run-script.js';
import { UsageError } from './usage-error.js';

/** Options for {@link runCli} beyond the arguments. */
export interface RunCliOptions {
  /** Output streams; the process streams by default. */
  readonly io?: CliIo;
  /** Cancels a running script. */
  readonly signal?: AbortSignal;
  /** Directory file arguments resolve against; `process.cwd()` by default. */
  readonly cwd?: string;
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

  const scriptOptions = (command: Command): ScriptOptions => {
    const opts = command.optsWithGlobals<{ verbose?: boolean; timeout?: number }>();
    return { verbose: opts.verbose === true, timeout: opts.timeout, signal: options.signal, cwd };
  };

  const program = new Command('rill')
    .description('Run rill scripts: a small, sandboxed, pipe-oriented scripting language.')
    .version(CLI_VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--verbose', 'print stack traces and error causes')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showSuggestionAfterError();

  program
    .command('run')
    .description('run a script file and print its result')
    .argument('<file>', 'path to a .rill script')
    .option('--timeout <ms>', 'stop the script after this many milliseconds', parseTimeout)
    .action(async (file: string, _opts: unknown, command: Command) => {
      const source = await readScript(file, cwd);
      exitCode = await runScript(source, file, io, scriptOptions(command));
    });

  program
    .command('eval')
    .description('run the script given as an argument and print its result')
    .argument('<source>', 'rill source text')
    .option('--timeout <ms>', 'stop the script after this many milliseconds', parseTimeout)
    .action(async (source: string, _opts: unknown, command: Command) => {
      exitCode = await runScript(source, '<eval>', io, scriptOptions(command));
    });

  program
    .command('check')
    .description('parse a script file without running it')
    .argument('<file>', 'path to a .rill script')
    .action(async (file: string, _opts: unknown, command: Command) => {
      const source = await readScript(file, cwd);
      exitCode = checkScript(source, file, io, scriptOptions(command));
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
      return ExitCode.Usage;
    }
    throw error;
  }
  return exitCode;
}
