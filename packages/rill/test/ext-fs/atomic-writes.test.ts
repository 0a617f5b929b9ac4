import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ExtensionResult, isValidFsName, normalizeFsPath } from '@rillkit/core';
import { createFsExtension, LOCAL_FS_TEMP_PREFIX } from '../../src/ext/fs/index.js';
import { call, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let ext: ExtensionResult;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('atomic'));
  ext = createFsExtension({ mounts: { m: { path: dir } } });
});
afterEach(async () => {
  await ext.dispose();
  cleanup();
});

const SIZE = 2 * 1024 * 1024;
const ROUNDS = 40;
const versions = ['a', 'b', 'c', 'd'].map((c) => c.repeat(SIZE));

/** True when `text` is one whole version (full length, one repeated character). */
function isWhole(text: string): boolean {
  if (text.length !== SIZE) return false;
  const first = text[0] as string;
  return versions.some((v) => v[0] === first) && text === first.repeat(SIZE);
}

// A separate process reading the raw file as fast as it can, so reads really overlap the
// writer's syscalls (not only interleave on one event loop). It reports every torn read.
const READER = `
const fs = require('node:fs');
const [file, size] = [process.argv[1], Number(process.argv[2])];
let reads = 0, torn = 0, missing = 0;
process.stdin.on('data', () => { console.log(JSON.stringify({ reads, torn, missing })); process.exit(0); });
(function loop() {
  for (let i = 0; i < 20; i++) {
    let text;
    try { text = fs.readFileSync(file, 'latin1'); } catch { missing++; continue; }
    reads++;
    if (text.length !== size || text !== text[0].repeat(size)) torn++;
  }
  setImmediate(loop);
})();
`;

describe('atomic writes on local disk', () => {
  it('a concurrent reader never sees a partial file while a large file is rewritten many times', async () => {
    await call(ext, 'fs::write', 'm', 'big.txt', versions[0] as string);
    const child = spawn(process.execPath, ['-e', READER, join(dir, 'big.txt'), String(SIZE)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

    let inProcessReads = 0;
    let stop = false;
    try {
      const reader = (async () => {
        while (!stop) {
          const text = (await call(ext, 'fs::read', 'm', 'big.txt')) as string;
          if (!isWhole(text)) throw new Error(`torn read in process (${text.length} chars)`);
          inProcessReads += 1;
        }
      })();
      try {
        for (let i = 1; i <= ROUNDS; i++) {
          expect(
            await call(ext, 'fs::write', 'm', 'big.txt', versions[i % versions.length] as string),
          ).toBe(SIZE);
        }
      } finally {
        stop = true;
      }
      await reader;
      child.stdin.write('stop\n');
      await exited;
    } finally {
      // Never leave the reader process behind, whatever failed.
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const report = JSON.parse(output) as { reads: number; torn: number; missing: number };
    expect(report.torn).toBe(0);
    expect(report.missing).toBe(0);
    expect(report.reads).toBeGreaterThan(0);
    expect(inProcessReads).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'big.txt'), 'latin1')).toBe(versions[ROUNDS % versions.length]);
    expect(readdirSync(dir)).toEqual(['big.txt']);
  });

  it('concurrent writes of one file: the result is one whole version, no temp files remain', async () => {
    const writes = Array.from({ length: 24 }, (_, i) =>
      call(ext, 'fs::write', 'm', 'f.txt', versions[i % 4] as string),
    );
    await Promise.all(writes);
    expect(isWhole(readFileSync(join(dir, 'f.txt'), 'latin1'))).toBe(true);
    expect(readdirSync(dir)).toEqual(['f.txt']);
  });

  it('concurrent appends in one process all land, in some order, none lost', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `line ${i}\n`);
    await Promise.all(lines.map((l) => call(ext, 'fs::append', 'm', 'log/app.log', l)));
    const got = readFileSync(join(dir, 'log/app.log'), 'utf8').split('\n').filter(Boolean).sort();
    expect(got).toEqual(lines.map((l) => l.trim()).sort());
    expect(readdirSync(join(dir, 'log'))).toEqual(['app.log']);
  });

  it('concurrent writes through two aliases of one file are serialised too', async () => {
    writeFileSync(join(dir, 'real.txt'), '');
    const { symlinkSync } = await import('node:fs');
    symlinkSync('real.txt', join(dir, 'alias.txt'));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(ext, 'fs::append', 'm', i % 2 === 0 ? 'real.txt' : 'alias.txt', `${i};`),
      ),
    );
    expect(readFileSync(join(dir, 'real.txt'), 'utf8').split(';').filter(Boolean)).toHaveLength(20);
  });

  it('temp files are hidden from list and find while they exist', async () => {
    writeFileSync(join(dir, `${LOCAL_FS_TEMP_PREFIX}1234-deadbeef`), 'partial');
    writeFileSync(join(dir, 'visible.txt'), 'v');
    expect(await call(ext, 'fs::list', 'm')).toEqual([
      { name: 'visible.txt', type: 'file', size: 1 },
    ]);
    expect(await call(ext, 'fs::find', 'm')).toEqual(['visible.txt']);
  });

  it('temp file names are names no script can address', async () => {
    const temp = `${LOCAL_FS_TEMP_PREFIX}1234-deadbeef`;
    expect(isValidFsName(temp)).toBe(false);
    expect(() => normalizeFsPath(`d/${temp}`)).toThrow(
      expect.objectContaining({ code: 'FS_INVALID_PATH' }),
    );
    for (const [fn, ...args] of [
      ['write', temp, 'x'],
      ['read', temp],
      ['exists', temp],
      ['remove', temp],
      ['append', `d/${temp}`, 'x'],
      ['copy', 'visible.txt', temp],
    ] as const) {
      const code = await call(ext, `fs::${fn}`, 'm', ...args).then(
        () => 'no error',
        (e: { code?: string }) => e.code,
      );
      expect(code, fn).toBe('FS_INVALID_PATH');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names that only look like temp files are ordinary files: listed, found, removable', async () => {
    const names = ['.rilltmp-1-abcdef.txt', '.rilltmp-', '.rilltmp', '.rilltmp-1234-deadbeef'];
    for (const name of names)
      expect(await call(ext, 'fs::write', 'm', `d/${name}`, name)).toBe(name.length);
    const sorted = [...names].sort();
    expect(await call(ext, 'fs::list', 'm', 'd')).toEqual(
      sorted.map((name) => ({ name, type: 'file', size: name.length })),
    );
    expect(await call(ext, 'fs::find', 'm')).toEqual(sorted.map((n) => `d/${n}`));
    for (const name of names) {
      expect(await call(ext, 'fs::read', 'm', `d/${name}`)).toBe(name);
      expect(await call(ext, 'fs::remove', 'm', `d/${name}`)).toBe(true);
    }
    expect(await call(ext, 'fs::remove', 'm', 'd')).toBe(true);
    expect(readdirSync(dir)).toEqual([]);
  });
});
