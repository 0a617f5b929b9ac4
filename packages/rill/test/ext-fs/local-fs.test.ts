import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFsExtension, type LocalFsMountOptions } from '../../src/ext/fs/index.js';
import { call, codeOf, failure, tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
const disposers: (() => Promise<void>)[] = [];

beforeEach(() => {
  ({ dir, cleanup } = tempDir('local'));
});
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
  cleanup();
});

function open(options: Omit<LocalFsMountOptions, 'path'> = {}) {
  const ext = createFsExtension({ mounts: { data: { path: dir, ...options } } });
  disposers.push(() => ext.dispose());
  return ext;
}

describe('createFsExtension: config', () => {
  it('mount path must exist and be a folder', async () => {
    for (const [mounts, field] of [
      [{ data: { path: join(dir, 'missing') } }, 'mounts.data.path'],
      [{ data: {} }, 'mounts.data.path'],
      [{ data: { path: '' } }, 'mounts.data.path'],
      [{ data: { path: 7 } }, 'mounts.data.path'],
      [{ data: { path: dir, bucket: 'x' } }, 'mounts.data.bucket'],
      [{ data: { path: dir, mode: 'readonly' } }, 'mounts.data.mode'],
    ] as const) {
      const error = await failure(() => createFsExtension({ mounts: mounts as never }));
      expect(error.code).toBe('FS_INVALID_CONFIG');
      expect(error.details['field']).toBe(field);
    }
    writeFileSync(join(dir, 'file'), '');
    const error = await failure(() =>
      createFsExtension({ mounts: { data: { path: join(dir, 'file') } } }),
    );
    expect(error.details['field']).toBe('mounts.data.path');
  });

  it('rejects unknown top-level options', async () => {
    const error = await failure(() =>
      createFsExtension({ mounts: { data: { path: dir } }, store: 'x' } as never),
    );
    expect(error.code).toBe('FS_INVALID_CONFIG');
    expect(error.details['field']).toBe('store');
  });

  it('accepts a relative path and a symlinked mount folder (real path taken once)', async () => {
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    const rel = relative(process.cwd(), join(dir, 'alias'));
    const ext = createFsExtension({ mounts: { data: { path: rel } } });
    disposers.push(() => ext.dispose());
    expect(await call(ext, 'fs::write', 'data', 'a.txt', 'hi')).toBe(2);
    expect(readFileSync(join(dir, 'real', 'a.txt'), 'utf8')).toBe('hi');
  });

  it('mounts() shows no host path', async () => {
    const ext = open({ glob: '*.md' });
    const mounts = await call(ext, 'fs::mounts');
    expect(mounts).toEqual([
      {
        name: 'data',
        mode: 'read-write',
        glob: '*.md',
        maxFileSize: 10 * 1024 * 1024,
        backend: 'local',
      },
    ]);
    expect(JSON.stringify(mounts)).not.toContain(dir);
  });
});

describe('local fs: functions on disk', () => {
  it('write creates parents, replaces, and read returns exact text', async () => {
    const ext = open();
    expect(await call(ext, 'fs::write', 'data', 'a/b/c.txt', 'héllo 😀')).toBe(11);
    expect(readFileSync(join(dir, 'a/b/c.txt'), 'utf8')).toBe('héllo 😀');
    expect(await call(ext, 'fs::write', 'data', '/a/b/c.txt', 'x')).toBe(1);
    expect(await call(ext, 'fs::read', 'data', 'a/./b//c.txt')).toBe('x');
  });

  it('append creates the file (and parents) and appends', async () => {
    const ext = open();
    expect(await call(ext, 'fs::append', 'data', 'logs/app.log', 'one\n')).toBe(4);
    expect(await call(ext, 'fs::append', 'data', 'logs/app.log', 'two\n')).toBe(4);
    expect(readFileSync(join(dir, 'logs/app.log'), 'utf8')).toBe('one\ntwo\n');
  });

  it('keeps the permission bits of a replaced file', async () => {
    const ext = open();
    writeFileSync(join(dir, 'run.sh'), 'old');
    chmodSync(join(dir, 'run.sh'), 0o751);
    await call(ext, 'fs::write', 'data', 'run.sh', 'new');
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).toBe(0o751);
    await call(ext, 'fs::append', 'data', 'run.sh', '!');
    expect(statSync(join(dir, 'run.sh')).mode & 0o777).toBe(0o751);
  });

  it('list: sorted, complete, sizes, folders size 0', async () => {
    const ext = open();
    mkdirSync(join(dir, 'many'));
    for (let i = 0; i < 1200; i++)
      writeFileSync(join(dir, 'many', `f${String(i).padStart(4, '0')}.txt`), 'x'.repeat(i % 7));
    writeFileSync(join(dir, 'B.txt'), 'bb');
    writeFileSync(join(dir, 'a.txt'), 'a');
    writeFileSync(join(dir, 'é.txt'), '');
    const root = (await call(ext, 'fs::list', 'data')) as { name: string }[];
    expect(root).toEqual([
      { name: 'B.txt', type: 'file', size: 2 },
      { name: 'a.txt', type: 'file', size: 1 },
      { name: 'many', type: 'directory', size: 0 },
      { name: 'é.txt', type: 'file', size: 0 },
    ]);
    const many = (await call(ext, 'fs::list', 'data', 'many')) as { name: string; size: number }[];
    expect(many).toHaveLength(1200);
    expect(many[0]).toEqual({ name: 'f0000.txt', type: 'file', size: 0 });
    expect(many[1199]).toEqual({ name: 'f1199.txt', type: 'file', size: 1199 % 7 });
  });

  it('find: every file below, sorted, dot files included', async () => {
    const ext = open();
    mkdirSync(join(dir, 'src/lib'), { recursive: true });
    mkdirSync(join(dir, 'empty'));
    for (const f of ['src/lib/y.ts', 'src/x.ts', '.env', 'README.md'])
      writeFileSync(join(dir, f), '');
    expect(await call(ext, 'fs::find', 'data')).toEqual([
      '.env',
      'README.md',
      'src/lib/y.ts',
      'src/x.ts',
    ]);
    expect(await call(ext, 'fs::find', 'data', 'src/**/*.ts')).toEqual([
      'src/lib/y.ts',
      'src/x.ts',
    ]);
    expect(await call(ext, 'fs::find', 'data', 'nope/**')).toEqual([]);
  });

  it('stat: ISO-8601 times', async () => {
    const ext = open();
    writeFileSync(join(dir, 'a.txt'), 'abc');
    const stat = (await call(ext, 'fs::stat', 'data', 'a.txt')) as Record<string, unknown>;
    expect(stat).toMatchObject({ name: 'a.txt', type: 'file', size: 3 });
    expect(stat['modified']).toBe(statSync(join(dir, 'a.txt')).mtime.toISOString());
    expect(
      stat['created'] === '' ||
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(stat['created'] as string),
    ).toBe(true);
    expect(await call(ext, 'fs::stat', 'data', '/')).toMatchObject({
      name: '',
      type: 'directory',
      size: 0,
    });
  });

  it('exists / remove / mkdir semantics', async () => {
    const ext = open();
    expect(await call(ext, 'fs::exists', 'data', 'd')).toBe(false);
    expect(await call(ext, 'fs::mkdir', 'data', 'd/e')).toBe(true);
    expect(await call(ext, 'fs::mkdir', 'data', 'd/e')).toBe(false);
    expect(await call(ext, 'fs::mkdir', 'data', 'd')).toBe(false);
    writeFileSync(join(dir, 'd/e/f.txt'), '');
    expect(await codeOf(() => call(ext, 'fs::mkdir', 'data', 'd/e/f.txt'))).toBe(
      'FS_NOT_A_DIRECTORY',
    );
    expect(await codeOf(() => call(ext, 'fs::mkdir', 'data', 'd/e/f.txt/g'))).toBe(
      'FS_NOT_A_DIRECTORY',
    );
    expect(await codeOf(() => call(ext, 'fs::remove', 'data', 'd'))).toBe('FS_NOT_EMPTY');
    expect(await call(ext, 'fs::remove', 'data', 'd/e/f.txt')).toBe(true);
    expect(await call(ext, 'fs::remove', 'data', 'd/e/f.txt')).toBe(false);
    expect(await call(ext, 'fs::remove', 'data', 'd/e')).toBe(true);
    expect(await call(ext, 'fs::exists', 'data', 'd')).toBe(true);
    expect(await codeOf(() => call(ext, 'fs::remove', 'data', '/'))).toBe('FS_INVALID_PATH');
  });

  it('a path through a file is absent for reads and NOT_A_DIRECTORY for writes', async () => {
    const ext = open();
    writeFileSync(join(dir, 'f'), '');
    expect(await call(ext, 'fs::exists', 'data', 'f/x')).toBe(false);
    expect(await codeOf(() => call(ext, 'fs::read', 'data', 'f/x'))).toBe('FS_NOT_FOUND');
    expect(await codeOf(() => call(ext, 'fs::stat', 'data', 'f/x'))).toBe('FS_NOT_FOUND');
    expect(await codeOf(() => call(ext, 'fs::list', 'data', 'f'))).toBe('FS_NOT_A_DIRECTORY');
    expect(await codeOf(() => call(ext, 'fs::write', 'data', 'f/x', ''))).toBe(
      'FS_NOT_A_DIRECTORY',
    );
    expect(await codeOf(() => call(ext, 'fs::append', 'data', 'f/x/y', ''))).toBe(
      'FS_NOT_A_DIRECTORY',
    );
    expect(await call(ext, 'fs::remove', 'data', 'f/x')).toBe(false);
  });

  it('folders are not files', async () => {
    const ext = open();
    mkdirSync(join(dir, 'd'));
    writeFileSync(join(dir, 'f'), 'x');
    expect(await codeOf(() => call(ext, 'fs::read', 'data', 'd'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::write', 'data', 'd', 'x'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::append', 'data', 'd', 'x'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::copy', 'data', 'd', 'e'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::move', 'data', 'd', 'e'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::copy', 'data', 'f', 'd'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::move', 'data', 'f', 'd'))).toBe('FS_NOT_A_FILE');
    expect(await codeOf(() => call(ext, 'fs::read', 'data', 'nope'))).toBe('FS_NOT_FOUND');
  });

  it('copy and move overwrite, create parents, keep names with spaces and Unicode', async () => {
    const ext = open();
    writeFileSync(join(dir, 'a b é.txt'), 'A');
    writeFileSync(join(dir, 'target.txt'), 'old');
    expect(await call(ext, 'fs::copy', 'data', 'a b é.txt', 'target.txt')).toBe(true);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('A');
    expect(await call(ext, 'fs::copy', 'data', 'a b é.txt', 'new/dir/😀 copy.txt')).toBe(true);
    expect(readFileSync(join(dir, 'new/dir/😀 copy.txt'), 'utf8')).toBe('A');
    writeFileSync(join(dir, 'other.txt'), 'B');
    expect(await call(ext, 'fs::move', 'data', 'other.txt', 'target.txt')).toBe(true);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('B');
    expect(await call(ext, 'fs::exists', 'data', 'other.txt')).toBe(false);
    expect(await call(ext, 'fs::move', 'data', 'target.txt', 'x/y/z.txt')).toBe(true);
    expect(await call(ext, 'fs::move', 'data', 'x/y/z.txt', 'x/y/z.txt')).toBe(true);
    expect(await call(ext, 'fs::copy', 'data', 'x/y/z.txt', 'x/y/z.txt')).toBe(true);
    expect(readFileSync(join(dir, 'x/y/z.txt'), 'utf8')).toBe('B');
    expect(await codeOf(() => call(ext, 'fs::copy', 'data', 'nope', 'b'))).toBe('FS_NOT_FOUND');
    expect(await codeOf(() => call(ext, 'fs::move', 'data', 'nope', 'b'))).toBe('FS_NOT_FOUND');
  });

  it('maxFileSize on disk: read of a bigger host file, append past the limit, copy of a bigger file', async () => {
    const ext = open({ maxFileSize: 10 });
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(11));
    writeFileSync(join(dir, 'ten.txt'), 'x'.repeat(10));
    expect(await call(ext, 'fs::read', 'data', 'ten.txt')).toBe('x'.repeat(10));
    expect(await codeOf(() => call(ext, 'fs::read', 'data', 'big.txt'))).toBe('FS_FILE_TOO_LARGE');
    expect(await codeOf(() => call(ext, 'fs::append', 'data', 'ten.txt', 'y'))).toBe(
      'FS_FILE_TOO_LARGE',
    );
    expect(readFileSync(join(dir, 'ten.txt'), 'utf8')).toBe('x'.repeat(10));
    expect(await codeOf(() => call(ext, 'fs::copy', 'data', 'big.txt', 'c.txt'))).toBe(
      'FS_FILE_TOO_LARGE',
    );
    expect(await call(ext, 'fs::move', 'data', 'big.txt', 'moved.txt')).toBe(true);
  });

  it('FIFOs and other special files are treated as absent (never block)', async () => {
    const ext = open();
    try {
      execFileSync('mkfifo', [join(dir, 'pipe')]);
    } catch {
      return; // no mkfifo on this platform
    }
    expect(await codeOf(() => call(ext, 'fs::read', 'data', 'pipe'))).toBe('FS_NOT_FOUND');
    expect(await call(ext, 'fs::exists', 'data', 'pipe')).toBe(false);
    expect(await call(ext, 'fs::list', 'data')).toEqual([]);
  });

  it('names no script could address are left out of list and find', async () => {
    const ext = open();
    writeFileSync(join(dir, 'ok.txt'), '');
    writeFileSync(join(dir, 'back\\slash.txt'), '');
    writeFileSync(join(dir, 'new\nline.txt'), '');
    expect((await call(ext, 'fs::list', 'data')) as unknown[]).toHaveLength(1);
    expect(await call(ext, 'fs::find', 'data')).toEqual(['ok.txt']);
  });

  it('the mount folder vanishing is BACKEND_UNAVAILABLE, and is never recreated', async () => {
    mkdirSync(join(dir, 'root'));
    const ext = createFsExtension({ mounts: { data: { path: join(dir, 'root') } } });
    disposers.push(() => ext.dispose());
    rmSync(join(dir, 'root'), { recursive: true });
    expect(await codeOf(() => call(ext, 'fs::write', 'data', 'a/b.txt', 'x'))).toBe(
      'FS_BACKEND_UNAVAILABLE',
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
