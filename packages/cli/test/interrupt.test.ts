import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { BIN, tempDir, writeConfig, writeFile } from './helpers/cli.js';

// Runs for a very long time unless interrupted: every kv write is logged once it completed.
const LOOP =
  'range(0, 10000) -> each {\n  range(0, 10000) -> each { kv::incr("state", "n") -> log }\n}\n';

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The last value the script had logged when SIGINT was sent. */
  readonly sentAfter: number;
}

/** Start the binary, send SIGINT once it logged `lines` writes, and wait for it to end. */
function interruptAfter(args: readonly string[], cwd: string, lines: number): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sentAfter = 0;
    let sent = false;
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no exit after SIGINT; stderr so far: ${stderr.slice(-500)}`));
    }, 45_000);
    child.stdout.setEncoding('utf8').on('data', (t: string) => {
      stdout += t;
    });
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      stderr += t;
      if (sent) return;
      const logged = stderr.split('\n').filter((l) => /^\d+$/.test(l));
      if (logged.length >= lines) {
        sentAfter = Number(logged[logged.length - 1]);
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr, sentAfter });
    });
  });
}

function storedCount(file: string): number {
  // The file must be a complete, valid store: JSON.parse throws on a torn write.
  const store = JSON.parse(readFileSync(file, 'utf8')) as {
    version: number;
    values: { n: number };
  };
  expect(store.version).toBe(1);
  return store.values.n;
}

describe('Ctrl-C (SIGINT) on the built binary', () => {
  const root = tempDir();
  it.each([
    ['immediate writes (the default config)', 'default'],
    ['buffered writes (writePolicy dispose), flushed by dispose', 'dispose'],
  ])('%s: exit 130 with LIMIT_ABORTED, every logged write persisted', async (_name, setup) => {
    const cwd = join(root, setup);
    mkdirSync(cwd);
    const script = writeFile(cwd, 'loop.rill', LOOP);
    const args = ['run', script];
    let store = join(cwd, '.rill', 'state.json');
    if (setup === 'dispose') {
      args.push(
        '--config',
        writeConfig(cwd, 'rill.config.json', {
          kv: {
            state: { backend: 'json', store: './buffered/state.json', writePolicy: 'dispose' },
          },
        }),
      );
      store = join(cwd, 'buffered', 'state.json');
    }

    const run = await interruptAfter(args, cwd, 5);

    expect([run.code, run.signal]).toEqual([ExitCode.Interrupted, null]);
    expect(run.stdout).toBe('');
    const errorLines = run.stderr.split('\n').filter((l) => l !== '' && !/^\d+$/.test(l));
    expect(errorLines[0]).toMatch(/^LIMIT_ABORTED: /);
    expect(run.stderr).toMatch(/--> loop\.rill:\d+:\d+/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    // Every write the script saw complete is on disk; at most the one in flight when the
    // abort landed is there without having been logged.
    const logged = run.stderr
      .split('\n')
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
    const lastLogged = Math.max(...logged);
    expect(lastLogged).toBeGreaterThanOrEqual(run.sentAfter);
    const stored = storedCount(store);
    expect(stored).toBeGreaterThanOrEqual(lastLogged);
    expect(stored).toBeLessThanOrEqual(lastLogged + 1);
    // No lock or temp file was left behind by an interrupted write.
    expect(readdirSync(join(store, '..')).sort()).toEqual(['state.json']);
    expect(existsSync(`${store}.lock`)).toBe(false);
  });
});
