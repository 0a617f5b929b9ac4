import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { entryPath, FolderScope, setFolderPinningForTests } from '../../src/ext/fs/folder-scope.js';
import { createFsExtension } from '../../src/ext/fs/index.js';
import { resolveInRoot, type ResolvedPath } from '../../src/ext/fs/resolve-in-root.js';
import { call, codeOf, failure, skipHeldFolders, tempDir } from './helpers.js';

// Layout per test:
//   <tmp>/outside/secret.txt   "secret"
//   <tmp>/root/real/f.txt      "inside"
//   <tmp>/root/file.txt        "file"
let base: string;
let root: string;
let outside: string;
let cleanup: () => void;

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('resolve'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(join(root, 'real'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.txt'), 'secret');
  writeFileSync(join(root, 'real', 'f.txt'), 'inside');
  writeFileSync(join(root, 'file.txt'), 'file');
});
afterEach(() => cleanup());
afterAll(() => setFolderPinningForTests(undefined));

const link = (target: string, at: string) => symlinkSync(target, join(root, at));
const openFds = () => (process.platform === 'linux' ? readdirSync('/proc/self/fd').length : 0);

/** Resolve `rel` in a fresh scope, hand the result to `check`, close the scope. */
async function resolved<T>(rel: string, check: (r: ResolvedPath) => T | Promise<T>): Promise<T> {
  const scope = await FolderScope.enter(root, rel);
  try {
    return await check(await resolveInRoot(scope, rel));
  } finally {
    await scope.close();
  }
}

const resolveCode = (rel: string) => codeOf(() => resolved(rel, (r) => r));

describe.each([
  ['folders held open', true],
  ['folders checked by name', false],
])('resolveInRoot, %s', (_label, pinned) => {
  beforeEach(() => setFolderPinningForTests(pinned));

  // The held-folder variant needs Linux's /proc/self/fd (see skipHeldFolders).
  it.skipIf(pinned && skipHeldFolders)('really pins folders when asked to', async () => {
    await resolved('real/f.txt', (r) => {
      expect(r.kind).toBe('found');
      if (r.kind === 'found') expect(r.folder.fd === undefined).toBe(!pinned);
    });
  });

  it('the mount root is found as `.` of itself', async () => {
    await resolved('', (r) => {
      expect(r).toMatchObject({ kind: 'found', real: root, name: '.' });
    });
  });

  it('a link as an intermediate name, inside the root: followed', async () => {
    link('real', 'alias');
    await resolved('alias/f.txt', (r) => {
      expect(r).toMatchObject({ kind: 'found', real: join(root, 'real', 'f.txt'), name: 'f.txt' });
      if (r.kind === 'found')
        expect(readFileSync(entryPath(r.folder, r.name), 'utf8')).toBe('inside');
    });
  });

  it('a link as an intermediate name, to outside: FS_PATH_ESCAPE', async () => {
    link(outside, 'out');
    expect(await resolveCode('out/secret.txt')).toBe('FS_PATH_ESCAPE');
    expect(await resolveCode('out/new/deeper.txt')).toBe('FS_PATH_ESCAPE');
  });

  it('a link as the final name: followed inside, refused outside', async () => {
    link('real/f.txt', 'alias.txt');
    link(join(outside, 'secret.txt'), 'secret.txt');
    await resolved('alias.txt', (r) => {
      expect(r).toMatchObject({ kind: 'found', real: join(root, 'real', 'f.txt') });
      if (r.kind === 'found') expect(r.stats.isFile()).toBe(true);
    });
    expect(await resolveCode('secret.txt')).toBe('FS_PATH_ESCAPE');
  });

  it('an absolute link back into the root, and a relative one that climbs out and back in', async () => {
    link(join(root, 'real'), 'abs');
    link('../root/real/f.txt', 'round-trip.txt');
    await resolved('abs/f.txt', (r) => {
      expect(r).toMatchObject({ kind: 'found', real: join(root, 'real', 'f.txt') });
    });
    await resolved('round-trip.txt', (r) => {
      expect(r).toMatchObject({ kind: 'found', real: join(root, 'real', 'f.txt') });
    });
  });

  it('dangling links: missing inside (with the names to create), FS_PATH_ESCAPE outside', async () => {
    link('real/later/deeper.txt', 'pending.txt');
    link(join(outside, 'not-yet.txt'), 'dangling-out.txt');
    await resolved('pending.txt', (r) => {
      expect(r).toMatchObject({
        kind: 'missing',
        real: join(root, 'real', 'later', 'deeper.txt'),
        missing: ['later', 'deeper.txt'],
      });
      if (r.kind === 'missing') expect(r.existing.real).toBe(join(root, 'real'));
    });
    expect(await resolveCode('dangling-out.txt')).toBe('FS_PATH_ESCAPE');
  });

  it('a dangling link whose target climbs `..` below a missing folder is unreachable', async () => {
    link('nowhere/../real/f.txt', 'odd.txt');
    await resolved('odd.txt', (r) => {
      expect(r).toMatchObject({ kind: 'blocked', reason: 'unreachable' });
    });
  });

  it('link loops and over-long chains: FS_INVALID_PATH', async () => {
    link('loop-b', 'loop-a');
    link('loop-a', 'loop-b');
    link('self-dir/x', 'self-dir');
    expect(await resolveCode('loop-a')).toBe('FS_INVALID_PATH');
    expect(await resolveCode('loop-a/below.txt')).toBe('FS_INVALID_PATH');
    expect(await resolveCode('self-dir')).toBe('FS_INVALID_PATH');
  });

  it('a file where a folder is expected: blocked (file-in-the-way), FS_NOT_A_DIRECTORY on write', async () => {
    await resolved('file.txt/x/y.txt', (r) => {
      expect(r).toMatchObject({ kind: 'blocked', reason: 'file-in-the-way' });
    });
    const ext = createFsExtension({ mounts: { m: { path: root } } });
    try {
      expect(await codeOf(() => call(ext, 'fs::write', 'm', 'file.txt/x.txt', 'x'))).toBe(
        'FS_NOT_A_DIRECTORY',
      );
      expect(await codeOf(() => call(ext, 'fs::mkdir', 'm', 'file.txt/x'))).toBe(
        'FS_NOT_A_DIRECTORY',
      );
      expect(await codeOf(() => call(ext, 'fs::read', 'm', 'file.txt/x'))).toBe('FS_NOT_FOUND');
    } finally {
      await ext.dispose();
    }
  });

  it('a script `..` is refused or resolved on the text by core, never reaching the disk', async () => {
    const ext = createFsExtension({ mounts: { m: { path: root } } });
    try {
      expect(await codeOf(() => call(ext, 'fs::read', 'm', '../outside/secret.txt'))).toBe(
        'FS_PATH_ESCAPE',
      );
      expect(await codeOf(() => call(ext, 'fs::write', 'm', 'real/../../x.txt', 'x'))).toBe(
        'FS_PATH_ESCAPE',
      );
      expect(readdirSync(base).sort()).toEqual(['outside', 'root']);
    } finally {
      await ext.dispose();
    }
  });

  it('a vanished mount folder: FS_BACKEND_UNAVAILABLE', async () => {
    renameSync(root, `${root}-gone`);
    expect((await failure(() => FolderScope.enter(root, 'x'))).code).toBe('FS_BACKEND_UNAVAILABLE');
    // A link in its place is not the mount folder either.
    symlinkSync(`${root}-gone`, root);
    expect((await failure(() => FolderScope.enter(root, 'x'))).code).toBe('FS_BACKEND_UNAVAILABLE');
  });

  // Counts descriptors through /proc/self/fd, which only Linux has.
  it.skipIf(process.platform !== 'linux')(
    'closes every folder it opened, errors included',
    async () => {
      link('real', 'alias');
      link(outside, 'out');
      link('loop-b', 'loop-a');
      link('loop-a', 'loop-b');
      const before = openFds();
      for (let i = 0; i < 50; i++) {
        for (const rel of [
          'alias/f.txt',
          'real/a/b/c',
          'out/secret.txt',
          'loop-a/x',
          'file.txt/x',
          '',
        ])
          await resolved(rel, (r) => r).catch(() => undefined);
      }
      expect(openFds()).toBeLessThanOrEqual(before);
    },
  );

  // Counts descriptors through /proc/self/fd, which only Linux has.
  it.skipIf(process.platform !== 'linux')(
    'every fs function, many times, failures included, leaves no descriptor open',
    async () => {
      link(outside, 'out');
      const ext = createFsExtension({ mounts: { m: { path: root } } });
      const calls: [string, ...string[]][] = [
        ['fs::write', 'a/b/w.txt', 'w'],
        ['fs::append', 'a/b/w.txt', '+'],
        ['fs::read', 'a/b/w.txt'],
        ['fs::copy', 'a/b/w.txt', 'a/c.txt'],
        ['fs::move', 'a/c.txt', 'a/b/d.txt'],
        ['fs::list', 'a/b'],
        ['fs::find', '**/*'],
        ['fs::stat', 'a/b/d.txt'],
        ['fs::exists', 'a/b/d.txt'],
        ['fs::mkdir', 'a/e/f'],
        ['fs::remove', 'a/e/f'],
        ['fs::remove', 'a/b/d.txt'],
        ['fs::read', 'out/secret.txt'],
        ['fs::write', 'out/x.txt', 'x'],
        ['fs::read', 'missing.txt'],
        ['fs::list', 'file.txt'],
        ['fs::remove', 'real'],
      ];
      try {
        await call(ext, 'fs::write', 'm', 'warm-up.txt', 'x');
        const before = openFds();
        for (let i = 0; i < 20; i++) {
          for (const [name, ...args] of calls)
            await call(ext, name, 'm', ...args).catch(() => undefined);
        }
        expect(openFds()).toBeLessThanOrEqual(before);
      } finally {
        await ext.dispose();
      }
    },
  );
});

// Held folders exist only on Linux with /proc/self/fd (see skipHeldFolders).
describe.skipIf(skipHeldFolders)('held folders (Linux)', () => {
  beforeEach(() => setFolderPinningForTests(true));

  it('a resolved entry stays in the folder the walk checked after that folder is swapped for an outside link', async () => {
    const scope = await FolderScope.enter(root, 'real/f.txt');
    try {
      const r = await resolveInRoot(scope, 'real/f.txt');
      renameSync(join(root, 'real'), join(root, 'real-moved'));
      link(outside, 'real');
      writeFileSync(join(outside, 'f.txt'), 'outside');
      if (r.kind !== 'found') throw new Error(`expected found, got ${r.kind}`);
      expect(readFileSync(entryPath(r.folder, r.name), 'utf8')).toBe('inside');
      // A fresh walk sees the link and refuses it.
      expect((await failure(() => resolveInRoot(scope, 'real/f.txt'))).code).toBe('FS_PATH_ESCAPE');
    } finally {
      await scope.close();
    }
  });
});
