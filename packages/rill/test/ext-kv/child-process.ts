import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The child-process tests import the BUILT package (as hosts do). Fail early and clearly
 * when dist is missing or older than the kv sources.
 */
export function assertBuilt(): void {
  const src = `${pkg}src/ext/kv/`;
  for (const name of readdirSync(src)) {
    const built = `${pkg}dist/ext/kv/${name.replace(/\.ts$/, '.js')}`;
    const builtTime = statSync(built, { throwIfNoEntry: false })?.mtimeMs;
    if (builtTime === undefined || builtTime < statSync(src + name).mtimeMs) {
      throw new Error(
        `packages/rill/dist is missing or stale (${name}); run \`npx tsc -p tsconfig.build.json\` in packages/rill first`,
      );
    }
  }
}

/** Spawn `node fixtures/<name> ...args` (in `cwd`, if given) with piped stdout/stderr. */
export function spawnFixture(name: string, args: readonly string[], cwd?: string): ChildProcess {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  return spawn(process.execPath, [script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd === undefined ? {} : { cwd }),
  });
}

/** Wait for a child to exit; resolves with its exit code, signal, stdout and stderr. */
export function finished(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
