import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_KV_META_TABLE, createSqliteKvExtension } from '../src/index.js';
import { call, tempDir } from './helpers.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = (name: string) => join(here, 'fixtures', name);

// The children import the built package, as a host would: build before running these.
beforeAll(() => {
  const built = fileURLToPath(new URL('../dist/index.js', import.meta.url));
  if (!existsSync(built))
    throw new Error('dist/ is missing: run `npx tsc -p tsconfig.build.json` (or pnpm build) first');
});

function start(args: readonly string[]): { child: ChildProcess; output: Promise<string> } {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0 || signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child exited with ${code ?? signal}: ${err}`));
    });
  });
  return { child, output };
}

/** Resolves once the child printed its `ready` line. */
function ready(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', () => reject(new Error('the child exited before it was ready')));
  });
}

describe('across processes', () => {
  it('2 processes x 1,000 kv::incr on one key through scripts count to exactly 2,000', async () => {
    const file = join(tempDir(), 'kv.db');
    const workers = [0, 1].map(() => start([fixture('incr-worker.mjs'), file, '1000']));
    await Promise.all(workers.map((w) => ready(w.child)));
    for (const w of workers) w.child.stdin?.end('go\n');
    const outputs = (await Promise.all(workers.map((w) => w.output))).map(
      (o) => o.trim().split('\n').pop() ?? '',
    );
    const seen = outputs.flatMap((o) => JSON.parse(o) as number[]);
    // Every incr saw a distinct value: none was lost or applied twice.
    expect(seen.length).toBe(2000);
    expect(new Set(seen).size).toBe(2000);
    expect(Math.max(...seen)).toBe(2000);
    // Both ran at once (they started on one signal), but how their commits interleave is
    // up to SQLite's lock polling: under load one process can take long runs of the lock.
    for (const output of outputs) expect((JSON.parse(output) as number[]).length).toBe(1000);
    const kv = createSqliteKvExtension({ mounts: { m: { database: file } } });
    expect(await call(kv, 'get', 'm', 'n')).toBe(2000);
    await kv.dispose();
  });

  it.each(['full', 'normal'])(
    'kill -9 during writes (synchronous %s) leaves a valid database with every acknowledged write',
    async (synchronous) => {
      const file = join(tempDir(), 'kv.db');
      const { child, output } = start([fixture('write-worker.mjs'), file, synchronous]);
      let acked = -1;
      await new Promise<void>((resolve) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          const lines = chunk.toString().trim().split('\n');
          acked = Math.max(acked, Number(lines[lines.length - 1]));
          if (acked >= 300 && !child.killed) {
            child.kill('SIGKILL');
            resolve();
          }
        });
      });
      const text = await output;
      const acks = text.trim().split('\n').map(Number);
      const last = Math.max(...acks);
      expect(last).toBeGreaterThanOrEqual(300);

      const db = new Database(file);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = new Map(
        (db.prepare('SELECT key, value FROM kv_m').all() as { key: string; value: string }[]).map(
          (r) => [r.key, r.value],
        ),
      );
      for (let i = 0; i <= last; i++) {
        expect(rows.get(`k${i}`), `k${i}`).toBe(`{"i":${i},"pad":"${'x'.repeat(200)}"}`);
      }
      // The counter and the entry counts moved together with the writes, transactionally.
      expect(Number(rows.get('count'))).toBeGreaterThanOrEqual(last + 1);
      const meta = db
        .prepare(`SELECT entries FROM ${SQLITE_KV_META_TABLE} WHERE kv_table = 'kv_m'`)
        .pluck()
        .get();
      expect(meta).toBe(rows.size);
      db.close();

      const kv = createSqliteKvExtension({ mounts: { m: { database: file } } });
      expect(await call(kv, 'get', 'm', `k${last}`)).toEqual(
        new Map<string, unknown>([
          ['i', last],
          ['pad', 'x'.repeat(200)],
        ]),
      );
      await kv.dispose();
    },
  );
});
