import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CreateKvExtensionOptions, createKvExtension } from '../../src/ext/kv/index.js';
import { call, configError, failure, readStore, run, tempDir } from './helpers.js';

/** Every entry below `dir`, as relative paths, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

const READS =
  '[kv::get_or("s", "n", 0), kv::keys("s"), kv::has("s", "n"), kv::getAll("s"), kv::mounts() -> map { $.name }]';

describe('createKvExtension createFolders', () => {
  it('creates the store folder and its missing parents on the first write', async () => {
    const dir = tempDir();
    const file = join(dir, 'a', 'b', 'c', 'state.json');
    const kv = createKvExtension({ createFolders: true, mounts: { s: { store: file } } });
    expect(readdirSync(dir)).toEqual([]);
    expect(await run(kv, 'kv::set("s", "n", 1)\nkv::incr("s", "n")')).toBe(2);
    expect(readStore(file).values).toEqual({ n: 2 });
    await kv.dispose(); // the lock of the last write is released by then
    expect(tree(dir)).toEqual(['a', 'a/b', 'a/b/c', 'a/b/c/state.json']);
  });

  it('a run that only reads sees an empty store and leaves the disk untouched', async () => {
    const dir = tempDir();
    const options: CreateKvExtensionOptions = {
      createFolders: true,
      mounts: { s: { store: join(dir, 'data', 'state.json') } },
    };
    for (const writePolicy of ['immediate', 'dispose'] as const) {
      const kv = createKvExtension({
        ...options,
        mounts: { s: { store: join(dir, 'data', `${writePolicy}.json`), writePolicy } },
      });
      expect(await run(kv, READS)).toEqual([0, [], false, {}, ['s']]);
      await kv.dispose();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes that change nothing create nothing either', async () => {
    const dir = tempDir();
    for (const writePolicy of ['immediate', 'dispose'] as const) {
      const kv = createKvExtension({
        createFolders: true,
        mounts: { s: { store: join(dir, 'data', `${writePolicy}.json`), writePolicy } },
      });
      expect(
        await run(
          kv,
          '[kv::delete("s", "n"), kv::clear("s"), kv::cas("s", "n", 5, 6), kv::setMany("s", [:])]',
        ),
      ).toEqual([false, 0, false, true]);
      await kv.dispose();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("'dispose' policy: the folder appears with the file, at dispose", async () => {
    const dir = tempDir();
    const file = join(dir, 'later', 'state.json');
    const kv = createKvExtension({
      createFolders: true,
      mounts: { s: { store: file, writePolicy: 'dispose' } },
    });
    await run(kv, 'kv::set("s", "a", 1)\nkv::set("s", "b", 2)');
    expect(await call(kv, 'get', 's', 'b')).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
    await kv.dispose();
    expect(tree(dir)).toEqual(['later', 'later/state.json']);
    expect(readStore(file).values).toEqual({ a: 1, b: 2 });
  });

  it('concurrent first writes of two extensions share the new folder', async () => {
    const dir = tempDir();
    const file = join(dir, 'x', 'y', 'state.json');
    const a = createKvExtension({ createFolders: true, mounts: { s: { store: file } } });
    const b = createKvExtension({ createFolders: true, mounts: { s: { store: file } } });
    await Promise.all([
      run(a, 'range(0, 20) -> map { kv::set("s", "a{$}", $) }'),
      run(b, 'range(0, 20) -> map { kv::set("s", "b{$}", $) }'),
    ]);
    expect(Object.keys(readStore(file).values)).toHaveLength(40);
    await Promise.all([a.dispose(), b.dispose()]);
    expect(readdirSync(join(dir, 'x', 'y'))).toEqual(['state.json']);
  });

  it('creates the folder again when it is removed while the extension lives', async () => {
    const dir = tempDir();
    const folder = join(dir, 'data');
    const kv = createKvExtension({
      createFolders: true,
      mounts: { s: { store: join(folder, 'state.json') } },
    });
    await call(kv, 'set', 's', 'a', 1);
    rmSync(folder, { recursive: true });
    expect(await run(kv, 'kv::get_or("s", "a", 0)')).toBe(0);
    expect(existsSync(folder)).toBe(false);
    await call(kv, 'set', 's', 'b', 2);
    expect(readStore(join(folder, 'state.json')).values).toEqual({ b: 2 });
    await kv.dispose();
  });

  it('without it, a folder removed after creation fails the write (KV_BACKEND_FAILURE)', async () => {
    const folder = join(tempDir(), 'data');
    mkdirSync(folder);
    const kv = createKvExtension({ mounts: { s: { store: join(folder, 'state.json') } } });
    rmSync(folder, { recursive: true });
    const error = await failure(run(kv, 'kv::set("s", "a", 1)'));
    expect(error.code).toBe('KV_BACKEND_FAILURE');
    expect(existsSync(folder)).toBe(false);
    await kv.dispose();
  });

  it('follows a symlink at the store file to a file in an existing folder', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real', 'target.json'), join(dir, 'link.json'));
    const kv = createKvExtension({
      createFolders: true,
      mounts: { s: { store: join(dir, 'link.json') } },
    });
    await call(kv, 'set', 's', 'a', 1);
    expect(readStore(join(dir, 'real', 'target.json')).values).toEqual({ a: 1 });
    await kv.dispose();
  });

  it('accepts only true or false', () => {
    for (const createFolders of ['yes', 1, 0, null, {}]) {
      const error = configError({ createFolders, mounts: { s: { store: ':memory:' } } });
      expect(error.code, String(createFolders)).toBe('KV_INVALID_CONFIG');
      expect(error.details['field']).toBe('createFolders');
    }
    for (const createFolders of [true, false, undefined]) {
      const kv = createKvExtension({
        ...(createFolders === undefined ? {} : { createFolders }),
        mounts: { s: { store: ':memory:' } },
      });
      expect(Object.keys(kv.functions)).toContain('kv::get');
    }
  });

  it('still rejects stores that cannot be files, naming the field', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    mkdirSync(join(dir, 'folder.json'));
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    symlinkSync(join(dir, 'missing', 'target.json'), join(dir, 'into-missing.json'));
    symlinkSync(join(dir, 'loop-b'), join(dir, 'loop-a'));
    symlinkSync(join(dir, 'loop-a'), join(dir, 'loop-b'));
    const stores = [
      join(dir, 'file', 's.json'), // below a file
      join(dir, 'file', 'x', 'y', 's.json'), // deeper below a file
      join(dir, 'folder.json'), // a folder
      join(dir, 'folder'), // a folder, no extension
      join(dir, 'dangling', 's.json'), // below a dangling symlink
      join(dir, 'dangling', 'x', 's.json'), // deeper below a dangling symlink
      join(dir, 'into-missing.json'), // a symlink whose target's folder is missing
      join(dir, 'loop-a', 'x', 's.json'), // below a symlink loop
    ];
    for (const store of stores) {
      const error = configError({ createFolders: true, mounts: { s: { store } } });
      expect(error.code, store).toBe('KV_INVALID_CONFIG');
      expect(error.details['field'], store).toBe('mounts.s.store');
    }
    expect(readdirSync(dir).sort()).toEqual([
      'dangling',
      'file',
      'folder',
      'folder.json',
      'into-missing.json',
      'loop-a',
      'loop-b',
    ]);
  });

  it('without it, a missing folder is still a config error', () => {
    const dir = tempDir();
    for (const options of [{}, { createFolders: false }]) {
      const error = configError({
        ...options,
        mounts: { s: { store: join(dir, 'missing', 's.json') } },
      });
      expect(error.code).toBe('KV_INVALID_CONFIG');
      expect(error.details['field']).toBe('mounts.s.store');
    }
  });

  it('recognises one file spelled through a missing folder twice', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'real'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    const pairs: [string, string][] = [
      [join(dir, 'real', 'new', 's.json'), join(dir, 'alias', 'new', 's.json')],
      [join(dir, 'a', 'b', 's.json'), join(dir, 'a', 'c', '..', 'b', 's.json')],
      [join(dir, 'a', 's.json'), `${join(dir, 'alias')}/../a/./s.json`],
    ];
    for (const [first, second] of pairs) {
      const error = configError({
        createFolders: true,
        mounts: { one: { store: first }, two: { store: second } },
      });
      expect(error.code, second).toBe('KV_INVALID_CONFIG');
      expect(error.details['field'], second).toBe('mounts.two.store');
    }
    // A symlink at the file and the file it names are one store, folder missing or not.
    symlinkSync(join(dir, 'real', 'target.json'), join(dir, 'link.json'));
    const error = configError({
      createFolders: true,
      mounts: {
        one: { store: join(dir, 'alias', 'target.json') },
        two: { store: join(dir, 'link.json') },
      },
    });
    expect(error.details['field']).toBe('mounts.two.store');
    expect(readdirSync(join(dir, 'real'))).toEqual([]);
  });

  it('keeps mounts in different missing folders apart', async () => {
    const dir = tempDir();
    const kv = createKvExtension({
      createFolders: true,
      mounts: {
        one: { store: join(dir, 'one', 's.json') },
        two: { store: join(dir, 'two', 's.json') },
        mem: { store: ':memory:' },
      },
    });
    await run(kv, 'kv::set("one", "k", 1)\nkv::set("mem", "k", 3)');
    expect(await run(kv, '[kv::get_or("two", "k", 0), kv::get("mem", "k")]')).toEqual([0, 3]);
    await kv.dispose();
    expect(tree(dir)).toEqual(['one', 'one/s.json']);
    expect(JSON.parse(readFileSync(join(dir, 'one', 's.json'), 'utf8'))).toMatchObject({
      values: { k: 1 },
    });
  });
});
