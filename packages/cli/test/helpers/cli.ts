// Running the CLI from tests: in-process through runCli, or the built binary in a child.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { type CliIo, type ExitCodeValue, type RunCliOptions, runCli } from '../../src/index.js';

/** The built binary (`pnpm turbo run build --filter=@rillkit/cli...` first). */
export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** What one CLI run printed and returned. */
export interface CliOutcome {
  readonly code: ExitCodeValue;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh temporary folder, removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rill-cli-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Write `text` to `dir/name` (creating folders) and return `name`. */
export function writeFile(dir: string, name: string, text: string): string {
  mkdirSync(dirname(join(dir, name)), { recursive: true });
  writeFileSync(join(dir, name), text);
  return name;
}

/** Write a config object as JSON to `dir/name` and return `name`. */
export function writeConfig(dir: string, name: string, config: unknown): string {
  return writeFile(dir, name, `${JSON.stringify(config, null, 2)}\n`);
}

/** Run `rill <argv>` in-process with `cwd` as the working directory. */
export async function cli(
  argv: readonly string[],
  options: RunCliOptions & { readonly cwd: string },
): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
  };
  const code = await runCli(argv, { env: {}, ...options, io });
  return { code, stdout, stderr };
}

/** Run the built binary synchronously in `cwd`. */
export function spawnRill(
  argv: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...argv], {
    cwd,
    env,
    encoding: 'utf8',
    // A hang guard below the tests' own limit; a busy CI machine starts node slowly.
    timeout: 100_000,
  });
}

/** Whether the CI environment variable asks for services to be mandatory. */
export const IS_CI = ((v) => v !== undefined && v !== '' && v !== 'false')(process.env['CI']);
