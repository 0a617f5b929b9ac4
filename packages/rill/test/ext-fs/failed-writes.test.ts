import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import * as realFs from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExtensionResult } from '@rillkit/core';
import { setFolderPinningForTests } from '../../src/ext/fs/folder-scope.js';
import { createFsExtension, LOCAL_FS_TEMP_PREFIX } from '../../src/ext/fs/index.js';
import { call, failure, skipHeldFolders, tempDir } from './helpers.js';

// Wrap the fs functions the local backend uses so single calls can be made to fail.
vi.mock('node:fs/promises', async (importOriginal) => {
  const original = await importOriginal<typeof import('node:fs/promises')>();
  return { ...original, open: vi.fn(original.open), rename: vi.fn(original.rename) };
});

const mockedOpen = vi.mocked(realFs.open);
const mockedRename = vi.mocked(realFs.rename);
const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');
const originalOpen = actual.open;

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

let base: string;
let root: string;
let cleanup: () => void;
let ext: ExtensionResult;

beforeEach(() => {
  ({ dir: base, cleanup } = tempDir('failed'));
  root = join(base, 'root');
  mkdirSync(root);
  ext = createFsExtension({ mounts: { m: { path: root } } });
});
afterEach(async () => {
  mockedOpen.mockReset();
  mockedOpen.mockImplementation(originalOpen);
  mockedRename.mockReset();
  mockedRename.mockImplementation(actual.rename);
  await ext.dispose();
  cleanup();
});

const isTempPath = (path: unknown) =>
  typeof path === 'string' && basename(path).startsWith(LOCAL_FS_TEMP_PREFIX);

/**
 * Make the next temp-file open (not opens for reading) return a handle whose write stores
 * half the data, then fails with `code`.
 */
function failHalfwayThroughNextWrite(code: string): void {
  let armed = true;
  mockedOpen.mockImplementation(async (...args: Parameters<typeof originalOpen>) => {
    const handle: FileHandle = await originalOpen(...args);
    if (!armed || !isTempPath(args[0])) return handle;
    armed = false;
    const writeFile = handle.writeFile.bind(handle);
    handle.writeFile = async (data) => {
      const bytes = data as Uint8Array;
      await writeFile(bytes.subarray(0, Math.floor(bytes.length / 2)));
      throw errno(code);
    };
    return handle;
  });
}

describe('a failed write leaves the old file and no temp file', () => {
  it('disk full halfway through write', async () => {
    writeFileSync(join(root, 'f.txt'), 'old content');
    failHalfwayThroughNextWrite('ENOSPC');
    const error = await failure(() =>
      call(ext, 'fs::write', 'm', 'f.txt', 'new content that will not fit'),
    );
    expect(error.code).toBe('FS_BACKEND_FAILURE');
    expect(error.details).toMatchObject({ mount: 'm', path: 'f.txt', errno: 'ENOSPC' });
    expect(readFileSync(join(root, 'f.txt'), 'utf8')).toBe('old content');
    expect(readdirSync(root)).toEqual(['f.txt']);
  });

  it('disk full halfway through append', async () => {
    writeFileSync(join(root, 'log.txt'), 'line 1\n');
    failHalfwayThroughNextWrite('EDQUOT');
    const error = await failure(() => call(ext, 'fs::append', 'm', 'log.txt', 'line 2\n'));
    expect(error.code).toBe('FS_BACKEND_FAILURE');
    expect(readFileSync(join(root, 'log.txt'), 'utf8')).toBe('line 1\n');
    expect(readdirSync(root)).toEqual(['log.txt']);
  });

  it('the rename itself fails', async () => {
    writeFileSync(join(root, 'f.txt'), 'old');
    mockedRename.mockRejectedValueOnce(errno('EIO'));
    const error = await failure(() => call(ext, 'fs::write', 'm', 'f.txt', 'new'));
    expect(error.code).toBe('FS_BACKEND_FAILURE');
    expect(error.details['errno']).toBe('EIO');
    expect(readFileSync(join(root, 'f.txt'), 'utf8')).toBe('old');
    expect(readdirSync(root)).toEqual(['f.txt']);
  });

  it('a failed copy leaves the target as it was', async () => {
    writeFileSync(join(root, 'src.txt'), 'source');
    writeFileSync(join(root, 'dst.txt'), 'target');
    failHalfwayThroughNextWrite('ENOSPC');
    expect((await failure(() => call(ext, 'fs::copy', 'm', 'src.txt', 'dst.txt'))).code).toBe(
      'FS_BACKEND_FAILURE',
    );
    expect(readFileSync(join(root, 'dst.txt'), 'utf8')).toBe('target');
    expect(readdirSync(root).sort()).toEqual(['dst.txt', 'src.txt']);
  });

  /** Swap `sub` for a link to `outside` while the next temp file is being written. */
  function swapSubOnNextTempOpen(outside: string): void {
    let armed = true;
    mockedOpen.mockImplementation(async (...args: Parameters<typeof originalOpen>) => {
      const handle = await originalOpen(...args);
      if (!armed || !isTempPath(args[0])) return handle;
      armed = false;
      // An attacker with access to the host folder swaps `sub` while the temp file is written.
      renameSync(join(root, 'sub'), join(root, 'sub-old'));
      symlinkSync(outside, join(root, 'sub'));
      return handle;
    });
  }

  for (const [label, pinned] of [
    ['held open (Linux)', true],
    ['checked by name', false],
  ] as const) {
    // The held-folder variant needs Linux's /proc/self/fd (see skipHeldFolders).
    it.skipIf(pinned && skipHeldFolders)(
      `a parent folder swapped for an outside link during the write, folders ${label}: nothing lands outside`,
      async () => {
        setFolderPinningForTests(pinned);
        try {
          const outside = join(base, 'outside');
          mkdirSync(outside);
          mkdirSync(join(root, 'sub'));
          writeFileSync(join(root, 'sub', 'f.txt'), 'old');
          swapSubOnNextTempOpen(outside);
          if (pinned) {
            // The write completes in the folder the walk checked, wherever it now is.
            await call(ext, 'fs::write', 'm', 'sub/f.txt', 'new');
            expect(readFileSync(join(root, 'sub-old', 'f.txt'), 'utf8')).toBe('new');
            expect(readdirSync(join(root, 'sub-old'))).toEqual(['f.txt']);
          } else {
            // Checked by name: the re-check before the rename refuses it.
            const error = await failure(() => call(ext, 'fs::write', 'm', 'sub/f.txt', 'new'));
            expect(error.code).toBe('FS_PATH_ESCAPE');
            // The temp file moved away with the swapped folder, out of reach by name; it stays
            // hidden there.
            expect(readdirSync(join(root, 'sub-old')).filter((n) => !isTempPath(`/${n}`))).toEqual([
              'f.txt',
            ]);
            expect(readFileSync(join(root, 'sub-old', 'f.txt'), 'utf8')).toBe('old');
          }
          expect(readdirSync(outside)).toEqual([]);
        } finally {
          setFolderPinningForTests(undefined);
        }
      },
    );
  }
});

describe('raw errno never escapes', () => {
  it.each([
    ['ENOENT', 'FS_NOT_FOUND'],
    ['EACCES', 'FS_BACKEND_FAILURE'],
    ['EPERM', 'FS_BACKEND_FAILURE'],
    ['EROFS', 'FS_BACKEND_FAILURE'],
    ['ENAMETOOLONG', 'FS_INVALID_PATH'],
    ['EMFILE', 'FS_BACKEND_FAILURE'],
    ['ESOMETHINGNEW', 'FS_BACKEND_FAILURE'],
  ])('%s from open -> %s', async (code, expected) => {
    writeFileSync(join(root, 'f.txt'), 'x');
    mockedOpen.mockRejectedValueOnce(errno(code));
    const error = await failure(() => call(ext, 'fs::read', 'm', 'f.txt'));
    expect(error.code).toBe(expected);
    expect(error.details['errno']).toBe(code);
    expect(error.message).not.toContain(root);
  });
});
