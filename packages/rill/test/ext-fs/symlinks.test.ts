import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExtensionResult } from '@rillkit/core';
import { createFsExtension } from '../../src/ext/fs/index.js';
import { call, codeOf, tempDir } from './helpers.js';

// Layout per test:
//   <tmp>/outside/secret.txt        "TOP SECRET"
//   <tmp>/outside/dir/inner.txt     "inner"
//   <tmp>/root/                     the mount
let base: string;
let root: string;
let outside: string;
let cleanup: () => void;
let ext: ExtensionResult;

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('links'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(join(outside, 'dir'), { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), 'TOP SECRET');
  writeFileSync(join(outside, 'dir', 'inner.txt'), 'inner');
  ext = createFsExtension({ mounts: { m: { path: root } } });
});
afterEach(async () => {
  await ext.dispose();
  cleanup();
});

const link = (target: string, at: string) => symlinkSync(target, join(root, at));
const ESCAPE = 'FS_PATH_ESCAPE';

/** Every function that takes `path`, as a call producing a promise. */
function everyCall(path: string): [string, () => Promise<unknown>][] {
  return [
    ['read', () => call(ext, 'fs::read', 'm', path)],
    ['write', () => call(ext, 'fs::write', 'm', path, 'pwned')],
    ['append', () => call(ext, 'fs::append', 'm', path, 'pwned')],
    ['list', () => call(ext, 'fs::list', 'm', path)],
    ['exists', () => call(ext, 'fs::exists', 'm', path)],
    ['stat', () => call(ext, 'fs::stat', 'm', path)],
    ['remove', () => call(ext, 'fs::remove', 'm', path)],
    ['mkdir', () => call(ext, 'fs::mkdir', 'm', path)],
    ['copy from', () => call(ext, 'fs::copy', 'm', path, 'copy.txt')],
    ['copy to', () => call(ext, 'fs::copy', 'm', 'ok.txt', path)],
    ['move from', () => call(ext, 'fs::move', 'm', path, 'moved.txt')],
    ['move to', () => call(ext, 'fs::move', 'm', 'ok.txt', path)],
  ];
}

function expectOutsideUntouched(): void {
  expect(readFileSync(join(outside, 'secret.txt'), 'utf8')).toBe('TOP SECRET');
  expect(readFileSync(join(outside, 'dir', 'inner.txt'), 'utf8')).toBe('inner');
  expect(readdirSync(outside).sort()).toEqual(['dir', 'secret.txt']);
  expect(readdirSync(join(outside, 'dir'))).toEqual(['inner.txt']);
}

async function expectAllEscape(path: string): Promise<void> {
  for (const [label, run] of everyCall(path)) {
    writeFileSync(join(root, 'ok.txt'), 'ok');
    expect([label, await codeOf(run)]).toEqual([label, ESCAPE]);
  }
  expectOutsideUntouched();
}

describe('symlinks leaving the mount are refused for reads and writes', () => {
  it('a file link to an outside file', async () => {
    link(join(outside, 'secret.txt'), 'secret-link.txt');
    await expectAllEscape('secret-link.txt');
    // The link itself was never replaced or removed.
    expect(lstatSync(join(root, 'secret-link.txt')).isSymbolicLink()).toBe(true);
  });

  it('a relative link climbing out (../outside)', async () => {
    link('../outside/secret.txt', 'rel.txt');
    await expectAllEscape('rel.txt');
  });

  it('a folder link to an outside folder, and paths below it', async () => {
    link(join(outside, 'dir'), 'out');
    await expectAllEscape('out');
    await expectAllEscape('out/inner.txt');
    await expectAllEscape('out/new.txt');
    await expectAllEscape('out/new/deeper/file.txt');
  });

  it('a link in a parent (a/b -> outside, path a/b/c/secret.txt)', async () => {
    mkdirSync(join(root, 'a'));
    symlinkSync(outside, join(root, 'a', 'b'));
    mkdirSync(join(outside, 'c'));
    writeFileSync(join(outside, 'c', 'secret.txt'), 's');
    for (const [label, run] of everyCall('a/b/c/secret.txt')) {
      writeFileSync(join(root, 'ok.txt'), 'ok');
      expect([label, await codeOf(run)]).toEqual([label, ESCAPE]);
    }
    expect(readFileSync(join(outside, 'c', 'secret.txt'), 'utf8')).toBe('s');
  });

  it('a dangling link whose target would be outside (writes must not create it)', async () => {
    link(join(outside, 'not-yet.txt'), 'dangling.txt');
    link(join(outside, 'no-dir', 'x'), 'dangling-deep');
    await expectAllEscape('dangling.txt');
    await expectAllEscape('dangling-deep');
    expect(existsSync(join(outside, 'not-yet.txt'))).toBe(false);
    expect(existsSync(join(outside, 'no-dir'))).toBe(false);
  });

  it('a dangling folder link: write/mkdir below it must not create anything outside', async () => {
    link(join(outside, 'newdir'), 'later');
    await expectAllEscape('later/file.txt');
    expect(await codeOf(() => call(ext, 'fs::mkdir', 'm', 'later/sub'))).toBe(ESCAPE);
    expect(existsSync(join(outside, 'newdir'))).toBe(false);
  });

  it('write through a linked parent', async () => {
    link(outside, 'up');
    expect(await codeOf(() => call(ext, 'fs::write', 'm', 'up/dir/inner.txt', 'pwned'))).toBe(
      ESCAPE,
    );
    expect(await codeOf(() => call(ext, 'fs::write', 'm', 'up/brand-new.txt', 'pwned'))).toBe(
      ESCAPE,
    );
    expect(await codeOf(() => call(ext, 'fs::append', 'm', 'up/secret.txt', 'pwned'))).toBe(ESCAPE);
    expectOutsideUntouched();
  });

  it('mkdir under a link', async () => {
    link(outside, 'up');
    expect(await codeOf(() => call(ext, 'fs::mkdir', 'm', 'up/newdir'))).toBe(ESCAPE);
    expect(await codeOf(() => call(ext, 'fs::mkdir', 'm', 'up/dir'))).toBe(ESCAPE);
    expect(await codeOf(() => call(ext, 'fs::mkdir', 'm', 'up'))).toBe(ESCAPE);
    expectOutsideUntouched();
  });

  it('copy/move target via a link (file link and folder link)', async () => {
    writeFileSync(join(root, 'src.txt'), 'payload');
    link(join(outside, 'secret.txt'), 'target-link.txt');
    link(join(outside, 'dir'), 'target-dir');
    for (const to of ['target-link.txt', 'target-dir/inner.txt', 'target-dir/new.txt']) {
      expect(await codeOf(() => call(ext, 'fs::copy', 'm', 'src.txt', to))).toBe(ESCAPE);
      expect(await codeOf(() => call(ext, 'fs::move', 'm', 'src.txt', to))).toBe(ESCAPE);
    }
    expect(readFileSync(join(root, 'src.txt'), 'utf8')).toBe('payload');
    expectOutsideUntouched();
  });

  it('a link to the parent of the root, and to /', async () => {
    link('..', 'parent');
    link('/', 'slash');
    await expectAllEscape('parent/outside/secret.txt');
    await expectAllEscape('slash/etc/passwd');
    expect(await codeOf(() => call(ext, 'fs::list', 'm', 'parent'))).toBe(ESCAPE);
  });

  it('a chain of links that ends outside', async () => {
    link('hop2', 'hop1');
    link('sub/hop3', 'hop2');
    mkdirSync(join(root, 'sub'));
    symlinkSync('../../outside/secret.txt', join(root, 'sub', 'hop3'));
    await expectAllEscape('hop1');
  });

  it('a symlink loop is FS_INVALID_PATH, not a hang', async () => {
    link('loop-b', 'loop-a');
    link('loop-a', 'loop-b');
    expect(await codeOf(() => call(ext, 'fs::read', 'm', 'loop-a'))).toBe('FS_INVALID_PATH');
    expect(await codeOf(() => call(ext, 'fs::write', 'm', 'loop-a', 'x'))).toBe('FS_INVALID_PATH');
    expect(await call(ext, 'fs::list', 'm')).toEqual([]);
  });

  it('escaping and dangling links are left out of list and find', async () => {
    writeFileSync(join(root, 'real.txt'), 'r');
    link(join(outside, 'secret.txt'), 'secret.txt');
    link(join(outside, 'dir'), 'outdir');
    link(join(root, 'missing.txt'), 'dangling.txt');
    expect(await call(ext, 'fs::list', 'm')).toEqual([{ name: 'real.txt', type: 'file', size: 1 }]);
    expect(await call(ext, 'fs::find', 'm')).toEqual(['real.txt']);
    expect(await call(ext, 'fs::find', 'm', 'outdir/**')).toEqual([]);
  });
});

describe('symlinks inside the mount are followed', () => {
  it('reads, writes and appends through a file link act on the target; the link stays', async () => {
    writeFileSync(join(root, 'target.txt'), 'A');
    link('target.txt', 'alias.txt');
    expect(await call(ext, 'fs::read', 'm', 'alias.txt')).toBe('A');
    await call(ext, 'fs::write', 'm', 'alias.txt', 'B');
    await call(ext, 'fs::append', 'm', 'alias.txt', 'C');
    expect(readFileSync(join(root, 'target.txt'), 'utf8')).toBe('BC');
    expect(readlinkSync(join(root, 'alias.txt'))).toBe('target.txt');
    expect(await call(ext, 'fs::stat', 'm', 'alias.txt')).toMatchObject({
      name: 'alias.txt',
      type: 'file',
      size: 2,
    });
  });

  it('folder links list, find (once, no cycles) and accept writes', async () => {
    mkdirSync(join(root, 'real/sub'), { recursive: true });
    writeFileSync(join(root, 'real/sub/f.txt'), 'f');
    link('real', 'alias');
    symlinkSync('..', join(root, 'real', 'up')); // a cycle back to real's parent (the root)
    expect(await call(ext, 'fs::list', 'm', 'alias/sub')).toEqual([
      { name: 'f.txt', type: 'file', size: 1 },
    ]);
    expect(await call(ext, 'fs::find', 'm')).toEqual(['alias/sub/f.txt', 'real/sub/f.txt']);
    await call(ext, 'fs::write', 'm', 'alias/sub/new/g.txt', 'g');
    expect(readFileSync(join(root, 'real/sub/new/g.txt'), 'utf8')).toBe('g');
  });

  it('a dangling link to a missing file inside: absent for reads, created by writes', async () => {
    link('later.txt', 'pending.txt');
    expect(await call(ext, 'fs::exists', 'm', 'pending.txt')).toBe(false);
    expect(await codeOf(() => call(ext, 'fs::read', 'm', 'pending.txt'))).toBe('FS_NOT_FOUND');
    await call(ext, 'fs::write', 'm', 'pending.txt', 'now');
    expect(readFileSync(join(root, 'later.txt'), 'utf8')).toBe('now');
    expect(lstatSync(join(root, 'pending.txt')).isSymbolicLink()).toBe(true);
  });

  it('an absolute link pointing back inside the mount is allowed', async () => {
    writeFileSync(join(root, 'x.txt'), 'x');
    link(join(root, 'x.txt'), 'abs.txt');
    expect(await call(ext, 'fs::read', 'm', 'abs.txt')).toBe('x');
  });

  it('`..` is resolved on the text before links: link/.. is the root, not the link target parent', async () => {
    link(join(outside, 'dir'), 'out');
    writeFileSync(join(root, 'here.txt'), 'here');
    expect(await call(ext, 'fs::read', 'm', 'out/../here.txt')).toBe('here');
  });

  it('a link to the root itself cannot be removed through', async () => {
    link('.', 'self');
    expect(await codeOf(() => call(ext, 'fs::remove', 'm', 'self'))).toBe('FS_INVALID_PATH');
    expect(existsSync(root)).toBe(true);
  });
});
