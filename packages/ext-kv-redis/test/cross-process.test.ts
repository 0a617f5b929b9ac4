// Atomicity across processes: two child processes importing the built package each run
// 1,000 `kv::incr` scripts on one key at the same time; not one increment may be lost.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { call } from './helpers/kv-calls.js';
import {
  REDIS_URL,
  describeRedis,
  dropKeys,
  randomPrefix,
  rawClient,
} from './helpers/redis-env.js';

const WORKER = fileURLToPath(new URL('./fixtures/incr-worker.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const PER_PROCESS = 1_000;

function waitFor(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString();
    });
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      if (seen.split('\n').includes(line)) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      if (!seen.split('\n').includes(line))
        reject(new Error(`worker exited with ${code} before "${line}": ${errors}`));
    });
  });
}

describeRedis('two processes', () => {
  const prefix = randomPrefix();
  const raw = rawClient();
  afterAll(async () => {
    await dropKeys(raw, prefix);
    await raw.quit();
  });

  it(
    `2 x ${PER_PROCESS} kv::incr on one key count to ${2 * PER_PROCESS}`,
    { timeout: 120_000 },
    async () => {
      expect(existsSync(DIST), 'build the package first: npx tsc -p tsconfig.build.json').toBe(
        true,
      );
      const workers = [0, 1].map(() =>
        spawn(process.execPath, [WORKER, REDIS_URL, prefix, String(PER_PROCESS)], {
          stdio: ['pipe', 'pipe', 'pipe'],
        }),
      );
      try {
        await Promise.all(workers.map((w) => waitFor(w, 'ready')));
        const finished = workers.map((w) => waitFor(w, 'done'));
        for (const w of workers) w.stdin?.write('go\n');
        await Promise.all(finished);
      } finally {
        for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
      }
      const kv = createRedisKvExtension({ url: REDIS_URL, mounts: { m: { prefix } } });
      expect(await call(kv, 'get', 'm', 'n')).toBe(2 * PER_PROCESS);
      await kv.dispose();
    },
  );
});
