import { describe, expect, it } from 'vitest';
import {
  compileFindPattern,
  createFsGlobFilter,
  createFsMount,
  RillError,
  validateFsMountConfig,
  type FsBackend,
  type FsMount,
  type FsMountOptions,
} from '../src/index.js';
import { MemoryFsBackend } from './fs-test-backend.js';

const enc = new TextEncoder();

function mountWith(
  options: FsMountOptions = {},
  backend = new MemoryFsBackend(),
): { mount: FsMount; backend: MemoryFsBackend } {
  const config = validateFsMountConfig('data', options, []);
  return { mount: createFsMount(config, backend, 'memory-test'), backend };
}

async function failure(run: () => Promise<unknown>): Promise<RillError> {
  try {
    await run();
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

async function codeOf(run: () => Promise<unknown>): Promise<string> {
  return (await failure(run)).code;
}

describe('fs policy: read and write', () => {
  it('counts UTF-8 bytes and round-trips text exactly (BOM, astral, invalid bytes)', async () => {
    const { mount, backend } = mountWith();
    expect(await mount.write('a.txt', '\ufeffé😀')).toBe(3 + 2 + 4);
    expect(await mount.read('a.txt')).toBe('\ufeffé😀');
    backend.files.set('bad.bin', new Uint8Array([0x61, 0xff, 0x62]));
    expect(await mount.read('bad.bin')).toBe('a\ufffdb');
  });

  it('hands the backend canonical paths', async () => {
    const { mount, backend } = mountWith();
    await mount.write('/x/./y//z.txt/', '1');
    await mount.read('x/q/../y/z.txt');
    expect(backend.calls).toEqual(['write x/y/z.txt', 'read x/y/z.txt']);
  });

  it('maxFileSize: at the limit OK, one byte over refused and nothing written', async () => {
    const { mount, backend } = mountWith({ maxFileSize: 4 });
    expect(await mount.write('a', 'abcd')).toBe(4);
    expect(await codeOf(() => mount.write('b', 'abcde'))).toBe('FS_FILE_TOO_LARGE');
    expect(backend.files.has('b')).toBe(false);
    expect(await codeOf(() => mount.write('c', 'ééé'))).toBe('FS_FILE_TOO_LARGE'); // 6 bytes
    expect(await codeOf(() => mount.append('a', 'e'))).toBe('FS_FILE_TOO_LARGE');
    expect(await mount.read('a')).toBe('abcd');
    backend.files.set('big', enc.encode('12345'));
    expect(await codeOf(() => mount.read('big'))).toBe('FS_FILE_TOO_LARGE');
    const one = mountWith({ maxFileSize: 1 }).mount;
    expect(await one.write('empty', '')).toBe(0);
    expect(await one.write('one', 'x')).toBe(1);
    expect(await codeOf(() => one.write('two', 'é'))).toBe('FS_FILE_TOO_LARGE');
  });

  it('append creates the file and counts appended bytes', async () => {
    const { mount } = mountWith();
    expect(await mount.append('log/a.txt', 'é')).toBe(2);
    expect(await mount.append('log/a.txt', 'x')).toBe(1);
    expect(await mount.read('log/a.txt')).toBe('éx');
  });

  it('the root is a folder for every file function', async () => {
    const { mount } = mountWith({ glob: '*.md' });
    for (const run of [
      () => mount.read('/'),
      () => mount.write('', 'x'),
      () => mount.append('.', 'x'),
      () => mount.copy('/', 'a.md'),
      () => mount.move('a.md', ''),
    ]) {
      expect(await codeOf(run)).toBe('FS_NOT_A_FILE');
    }
    expect(await codeOf(() => mount.remove('/'))).toBe('FS_INVALID_PATH');
    expect(await mount.mkdir('/')).toBe(false);
    expect(await mount.exists('')).toBe(true);
    expect((await mount.stat('')).name).toBe('');
  });
});

describe('fs policy: error details', () => {
  it('adds mount and path to backend errors, keeps the code', async () => {
    const { mount } = mountWith();
    const error = await failure(() => mount.read('/nope/x.txt'));
    expect(error.code).toBe('FS_NOT_FOUND');
    expect(error.details).toMatchObject({ mount: 'data', path: 'nope/x.txt' });
  });

  it('path-rule errors carry the raw path and the mount', async () => {
    const { mount } = mountWith();
    const error = await failure(() => mount.write('../x', 'y'));
    expect(error.code).toBe('FS_PATH_ESCAPE');
    expect(error.details).toMatchObject({ mount: 'data', path: '../x' });
  });

  it('copy/move errors carry from and to', async () => {
    const { mount } = mountWith();
    const error = await failure(() => mount.copy('a.txt', 'b.txt'));
    expect(error.code).toBe('FS_NOT_FOUND');
    expect(error.details).toMatchObject({ mount: 'data', from: 'a.txt', to: 'b.txt' });
  });

  it('an uncoded backend error becomes FS_BACKEND_FAILURE with its cause', async () => {
    const cause = new Error('socket hang up');
    const broken = Object.assign(new MemoryFsBackend(), {
      read: async () => {
        throw cause;
      },
    }) as FsBackend;
    const mount = createFsMount(validateFsMountConfig('data', {}, []), broken, 'x');
    const error = await failure(() => mount.read('a'));
    expect(error.code).toBe('FS_BACKEND_FAILURE');
    expect(error.cause).toBe(cause);
    expect(error.details).toMatchObject({ mount: 'data', path: 'a' });
  });
});

describe('fs policy: modes', () => {
  it("'read' refuses every write, before looking at the path", async () => {
    const { mount, backend } = mountWith({ mode: 'read' });
    backend.files.set('a.txt', enc.encode('x'));
    for (const run of [
      () => mount.write('a.txt', 'y'),
      () => mount.append('a.txt', 'y'),
      () => mount.remove('a.txt'),
      () => mount.mkdir('d'),
      () => mount.copy('a.txt', 'b.txt'),
      () => mount.move('a.txt', 'b.txt'),
      () => mount.write('../escape', 'y'),
    ]) {
      expect(await codeOf(run)).toBe('FS_READ_ONLY');
    }
    expect(await mount.read('a.txt')).toBe('x');
    expect(await mount.exists('a.txt')).toBe(true);
  });

  it("'write' refuses every read, allows writes", async () => {
    const { mount } = mountWith({ mode: 'write' });
    expect(await mount.write('a.txt', 'x')).toBe(1);
    expect(await mount.copy('a.txt', 'b.txt')).toBe(true);
    expect(await mount.mkdir('d')).toBe(true);
    for (const run of [
      () => mount.read('a.txt'),
      () => mount.list(''),
      () => mount.find('**/*'),
      () => mount.exists('a.txt'),
      () => mount.stat('a.txt'),
    ]) {
      expect(await codeOf(run)).toBe('FS_WRITE_ONLY');
    }
  });
});

describe('fs policy: glob admission', () => {
  async function seeded(glob: string) {
    const { mount, backend } = mountWith({ glob });
    for (const f of [
      'a.md',
      'b.txt',
      'docs/c.md',
      'docs/d.txt',
      'docs/deep/e.md',
      '.hidden.md',
      'notes.MD',
    ]) {
      await backend.write(f, enc.encode(f));
    }
    await backend.mkdir('empty.txt');
    return { mount, backend };
  }

  it('a glob without / matches base names', async () => {
    const { mount } = await seeded('*.md');
    expect(await mount.read('docs/c.md')).toBe('docs/c.md');
    expect(await mount.read('.hidden.md')).toBe('.hidden.md');
    for (const run of [
      () => mount.read('b.txt'),
      () => mount.read('notes.MD'),
      () => mount.write('new.txt', 'x'),
      () => mount.append('new.txt', 'x'),
      () => mount.copy('b.txt', 'x.md'),
      () => mount.copy('a.md', 'x.txt'),
      () => mount.move('a.md', 'x.txt'),
      () => mount.exists('b.txt'),
      () => mount.stat('docs/d.txt'),
      () => mount.remove('b.txt'),
      () => mount.read('missing.txt'),
    ]) {
      expect(await codeOf(run)).toBe('FS_GLOB_DENIED');
    }
    // Absent non-admitted names are just absent; folders are never filtered.
    expect(await mount.exists('missing.txt')).toBe(false);
    expect(await mount.exists('docs')).toBe(true);
    expect(await mount.exists('empty.txt')).toBe(true);
    expect(await mount.remove('missing.txt')).toBe(false);
  });

  it('list and find omit files the glob refuses, keep folders', async () => {
    const { mount } = await seeded('*.md');
    expect((await mount.list('')).map((e) => e.name)).toEqual([
      '.hidden.md',
      'a.md',
      'docs',
      'empty.txt',
    ]);
    expect((await mount.list('docs')).map((e) => e.name)).toEqual(['c.md', 'deep']);
    expect(await mount.find('**/*')).toEqual(['.hidden.md', 'a.md', 'docs/c.md', 'docs/deep/e.md']);
  });

  it('a glob with / matches the whole relative path', async () => {
    const { mount } = await seeded('docs/**/*.md');
    expect(await mount.find('**/*')).toEqual(['docs/c.md', 'docs/deep/e.md']);
    expect(await codeOf(() => mount.read('a.md'))).toBe('FS_GLOB_DENIED');
    expect(await mount.write('docs/new/x.md', 'x')).toBe(1);
  });

  it('brace globs', async () => {
    const { mount } = await seeded('*.{md,txt}');
    expect(await mount.find('**/*')).toContain('b.txt');
  });

  it('createFsGlobFilter ignores a leading / and rejects unusable globs', () => {
    expect(createFsGlobFilter('/docs/*.md', 'f').admits('docs/a.md')).toBe(true);
    expect(createFsGlobFilter(undefined, 'f').admits('anything')).toBe(true);
    for (const bad of ['/', './', 'a\nb']) {
      let code = '';
      try {
        createFsGlobFilter(bad, 'mounts.x.glob');
      } catch (error) {
        code = RillError.is(error) ? error.code : 'raw';
      }
      expect(code).toBe('FS_INVALID_CONFIG');
    }
  });
});

describe('fs policy: list, find, stat, exists, remove, mkdir', () => {
  it('list is sorted by UTF-16 code unit and complete', async () => {
    const { mount, backend } = mountWith();
    // U+1F600 is stored as the surrogates D83D DE00, so it sorts before U+FB00.
    const names = ['b', 'B', 'a', 'é', '😀', 'Z', '_', '10', '9', 'ﬀ'];
    for (const n of names) await backend.write(n, enc.encode(n));
    for (let i = 0; i < 1200; i++) await backend.write(`many/f${i}`, enc.encode(''));
    expect((await mount.list('/')).map((e) => e.name)).toEqual([
      '10',
      '9',
      'B',
      'Z',
      '_',
      'a',
      'b',
      'many',
      'é',
      '😀',
      'ﬀ',
    ]);
    const many = await mount.list('many');
    expect(many).toHaveLength(1200);
    expect(many[0]?.name).toBe('f0');
    expect(many[1]?.name).toBe('f1');
    expect(many[2]?.name).toBe('f10');
  });

  it('list omits names no script could address', async () => {
    const { mount, backend } = mountWith();
    backend.files.set('ok', enc.encode(''));
    backend.files.set('bad\\name', enc.encode(''));
    backend.files.set('bad\nname', enc.encode(''));
    expect((await mount.list('')).map((e) => e.name)).toEqual(['ok']);
    expect(await mount.find('**/*')).toEqual(['ok']);
  });

  it('list errors', async () => {
    const { mount, backend } = mountWith();
    await backend.write('f', enc.encode(''));
    expect(await codeOf(() => mount.list('nope'))).toBe('FS_NOT_FOUND');
    expect(await codeOf(() => mount.list('f'))).toBe('FS_NOT_A_DIRECTORY');
    expect(await codeOf(() => mount.list('..'))).toBe('FS_PATH_ESCAPE');
  });

  it('find matches patterns over whole paths, sorted, dot files included', async () => {
    const { mount, backend } = mountWith();
    for (const f of ['z.md', 'a.md', '.env', 'src/x.ts', 'src/lib/y.ts', 'src/lib/y.md', 'B.md']) {
      await backend.write(f, enc.encode(''));
    }
    expect(await mount.find('**/*')).toEqual([
      '.env',
      'B.md',
      'a.md',
      'src/lib/y.md',
      'src/lib/y.ts',
      'src/x.ts',
      'z.md',
    ]);
    expect(await mount.find('*.md')).toEqual(['B.md', 'a.md', 'z.md']);
    expect(await mount.find('**/*.ts')).toEqual(['src/lib/y.ts', 'src/x.ts']);
    expect(await mount.find('/src/*')).toEqual(['src/x.ts']);
    expect(await mount.find('src/lib/y.md')).toEqual(['src/lib/y.md']);
    expect(await mount.find('nothing/**')).toEqual([]);
    expect(await codeOf(() => mount.find(''))).toBe('FS_INVALID_PATH');
    expect(await codeOf(() => mount.find('a\0'))).toBe('FS_INVALID_PATH');
  });

  it('find walks only below the literal base of the pattern', async () => {
    const { mount, backend } = mountWith();
    await backend.write('src/a.ts', enc.encode(''));
    backend.calls = [];
    await mount.find('src/**/*.ts');
    await mount.find('src/a.ts');
    await mount.find('*.ts');
    await mount.find('{src,lib}/*.ts');
    expect(backend.calls).toEqual(['walk src', 'walk src', 'walk ', 'walk ']);
  });

  it('compileFindPattern bases', () => {
    expect(compileFindPattern('docs/**/*.md').base).toBe('docs');
    expect(compileFindPattern('**/*').base).toBe('');
    expect(compileFindPattern('a/b/c.md').base).toBe('a/b');
    expect(compileFindPattern('!a/*.md').base).toBe('');
    expect(compileFindPattern('../x/*').base).toBe('');
  });

  it('stat: ISO times, "" when unknown, folders have size 0', async () => {
    const { mount, backend } = mountWith();
    await backend.write('d/a.txt', enc.encode('abc'));
    expect(await mount.stat('d/a.txt')).toEqual({
      name: 'a.txt',
      type: 'file',
      size: 3,
      modified: '2024-05-01T12:00:00.000Z',
      created: '',
    });
    expect(await mount.stat('d/')).toEqual({
      name: 'd',
      type: 'directory',
      size: 0,
      modified: '',
      created: '',
    });
    expect(await codeOf(() => mount.stat('nope'))).toBe('FS_NOT_FOUND');
  });

  it('exists: false only for absent; violations throw', async () => {
    const { mount } = mountWith();
    expect(await mount.exists('nope')).toBe(false);
    expect(await codeOf(() => mount.exists('../x'))).toBe('FS_PATH_ESCAPE');
    expect(await codeOf(() => mount.exists('a\\b'))).toBe('FS_INVALID_PATH');
  });

  it('remove: false when absent, NOT_EMPTY for a full folder', async () => {
    const { mount, backend } = mountWith();
    await backend.write('d/a.txt', enc.encode(''));
    expect(await mount.remove('nope')).toBe(false);
    expect(await codeOf(() => mount.remove('d'))).toBe('FS_NOT_EMPTY');
    expect(await mount.remove('d/a.txt')).toBe(true);
    expect(await mount.remove('d')).toBe(true);
    expect(await mount.exists('d')).toBe(false);
  });

  it('mkdir: false when it existed, NOT_A_DIRECTORY when a file is in the way', async () => {
    const { mount, backend } = mountWith();
    await backend.write('f', enc.encode(''));
    expect(await mount.mkdir('a/b')).toBe(true);
    expect(await mount.mkdir('a/b/')).toBe(false);
    expect(await codeOf(() => mount.mkdir('f'))).toBe('FS_NOT_A_DIRECTORY');
    expect(await codeOf(() => mount.mkdir('f/x'))).toBe('FS_NOT_A_DIRECTORY');
  });
});
