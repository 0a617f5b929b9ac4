// Running the `rill` binary the way a user does: the built CLI in a child process, in a
// working folder of the test's choosing. Shared by the example packages' smoke tests.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Runs the `rill` binary installed for one package (see {@link createRillRunner}). */
export interface RillRunner {
  /** Absolute path of the `rill` bin script. */
  readonly binPath: string;
  /**
   * Run `rill <args>` in `cwd` and wait for it to exit. The child gets this process's
   * environment with `env` applied on top (`undefined` removes a variable). A run that hangs
   * is killed after 60 s, so a slow CI machine never blocks.
   */
  rill(
    cwd: string,
    env: Readonly<Record<string, string | undefined>>,
    ...args: string[]
  ): SpawnSyncReturns<string>;
  /** A fresh empty folder under the OS temp folder; remove it with {@link removeFolder}. */
  tempFolder(): string;
  /** Remove a folder made by {@link tempFolder}. */
  removeFolder(dir: string): void;
}

/**
 * A runner for the `rill` binary of `@rillkit/cli` as the calling package resolves it.
 *
 * @param from the caller's `import.meta.url` (the package that depends on `@rillkit/cli`).
 * @param label names the temporary folders (`rillkit-<label>-XXXXXX`).
 * @example
 * const { rill, tempFolder } = createRillRunner(import.meta.url, 'notes');
 * const out = rill(tempFolder(), {}, 'run', script);
 */
export function createRillRunner(from: string, label: string): RillRunner {
  const require = createRequire(from);
  const manifestPath = require.resolve('@rillkit/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: { rill: string } };
  const binPath = join(dirname(manifestPath), manifest.bin.rill);
  return {
    binPath,
    rill(cwd, env, ...args) {
      const childEnv: NodeJS.ProcessEnv = { ...process.env };
      for (const [name, value] of Object.entries(env)) {
        if (value === undefined) delete childEnv[name];
        else childEnv[name] = value;
      }
      return spawnSync(process.execPath, [binPath, ...args], {
        cwd,
        env: childEnv,
        encoding: 'utf8',
        timeout: 60_000,
      });
    },
    tempFolder: () => mkdtempSync(join(tmpdir(), `rillkit-${label}-`)),
    removeFolder: (dir) => rmSync(dir, { recursive: true, force: true }),
  };
}
