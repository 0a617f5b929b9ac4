import type { RillValue } from '@rillkit/core';
import { dict } from '../../harness/show-value.js';
import type { FsCaseRegistrar } from '../fs-case-registrar.js';
import type { FsFunctionName } from '../fs-harness.js';

/** Every mount-taking fs function with valid arguments. */
export function everyFsMountCall(mount: string): readonly [FsFunctionName, ...unknown[]][] {
  return [
    ['read', mount, 'a.txt'],
    ['write', mount, 'a.txt', 'x'],
    ['append', mount, 'a.txt', 'x'],
    ['list', mount, ''],
    ['find', mount, '**/*'],
    ['exists', mount, 'a.txt'],
    ['remove', mount, 'a.txt'],
    ['stat', mount, 'a.txt'],
    ['mkdir', mount, 'd'],
    ['copy', mount, 'a.txt', 'b.txt'],
    ['move', mount, 'a.txt', 'b.txt'],
  ];
}

/** Contents that must come back byte-for-byte (no newline translation, BOM kept). */
const CONTENTS: readonly (readonly [label: string, content: string, bytes: number])[] = [
  ['ascii', 'hello', 5],
  ['empty', '', 0],
  ['two-byte', 'héllo', 6],
  ['astral', '😀', 4],
  ['CRLF and LF', 'a\r\nb\nc\r', 7],
  ['NUL and controls', 'a\u0000b\u0001\t', 5],
  ['BOM', '\ufeffbom', 6],
  ['mixed scripts', '中文 ключ 𝄞', 20],
];

function entry(name: string, type: 'file' | 'directory', size: number): Map<string, unknown> {
  return dict(['name', name], ['type', type], ['size', size]);
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/** §4: every function's semantics and exact return value. */
export function filesCases(reg: FsCaseRegistrar): void {
  reg.test('write returns UTF-8 bytes written and read returns the exact text', async (t) => {
    const fs = await t.open({ m: {} });
    for (const [label, content, bytes] of CONTENTS) {
      t.expect(Buffer.byteLength(content, 'utf8'), label).toBe(bytes);
      await fs.expectCall(bytes, 'write', 'm', `${label}.txt`, content);
      await fs.expectCall(content, 'read', 'm', `${label}.txt`);
    }
  });

  reg.test('write replaces the whole file', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'f.txt', 'a much longer first version');
    await fs.expectCall(1, 'write', 'm', 'f.txt', 'x');
    await fs.expectCall('x', 'read', 'm', 'f.txt');
    await fs.expectCall(0, 'write', 'm', 'f.txt', '');
    await fs.expectCall('', 'read', 'm', 'f.txt');
  });

  reg.test('write creates missing parent folders', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.expectCall(4, 'write', 'm', 'a/b/c/d.txt', 'deep');
    await fs.expectCall('deep', 'read', 'm', 'a/b/c/d.txt');
    await fs.expectCall(true, 'exists', 'm', 'a/b');
    await fs.expectCall([entry('b', 'directory', 0)], 'list', 'm', 'a');
  });

  reg.test('append creates the file, then appends, returning the bytes appended', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.expectCall(6, 'append', 'm', 'log/x.log', 'línea');
    await fs.expectCall(2, 'append', 'm', 'log/x.log', '\n2');
    await fs.expectCall(0, 'append', 'm', 'log/x.log', '');
    await fs.expectCall('línea\n2', 'read', 'm', 'log/x.log');
    await fs.expectCall(0, 'append', 'm', 'empty.txt', '');
    await fs.expectCall(true, 'exists', 'm', 'empty.txt');
  });

  reg.test('read of a missing file or a folder fails with a code', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'dir/f.txt', 'x');
    await fs.fails('FS_NOT_FOUND', 'read', 'm', 'missing.txt');
    await fs.fails('FS_NOT_FOUND', 'read', 'm', 'nope/missing.txt');
    await fs.fails('FS_NOT_A_FILE', 'read', 'm', 'dir');
    await fs.fails('FS_NOT_A_FILE', 'read', 'm', '');
    await fs.fails('FS_NOT_A_FILE', 'read', 'm', '/');
    await fs.fails('FS_NOT_FOUND', 'read', 'm', 'dir/f.txt/below');
  });

  reg.test('write or append onto a folder or below a file fails and changes nothing', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'dir/f.txt', 'x');
    const before = await fs.snapshot('m');
    await fs.fails('FS_NOT_A_FILE', 'write', 'm', 'dir', 'y');
    await fs.fails('FS_NOT_A_FILE', 'append', 'm', 'dir', 'y');
    await fs.fails('FS_NOT_A_FILE', 'write', 'm', '', 'y');
    await fs.fails('FS_NOT_A_FILE', 'write', 'm', '.', 'y');
    await fs.fails('FS_NOT_A_DIRECTORY', 'write', 'm', 'dir/f.txt/g.txt', 'y');
    await fs.fails('FS_NOT_A_DIRECTORY', 'append', 'm', 'dir/f.txt/g.txt', 'y');
    await fs.fails('FS_NOT_A_DIRECTORY', 'write', 'm', 'dir/f.txt/deeper/g.txt', 'y');
    t.expect(await fs.snapshot('m')).toBe(before);
  });

  reg.test('exists is true for files and folders, false only for absent paths', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'dir/f.txt', 'x');
    await fs.expectCall(true, 'exists', 'm', 'dir/f.txt');
    await fs.expectCall(true, 'exists', 'm', 'dir');
    await fs.expectCall(true, 'exists', 'm', '');
    await fs.expectCall(true, 'exists', 'm', '/');
    await fs.expectCall(false, 'exists', 'm', 'missing');
    await fs.expectCall(false, 'exists', 'm', 'missing/below');
    await fs.expectCall(false, 'exists', 'm', 'dir/F.txt');
    await fs.expectCall(false, 'exists', 'm', 'dir/f.txt/below');
  });

  reg.test('remove deletes a file or an empty folder and says whether it did', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'dir/f.txt', 'x');
    await fs.call('mkdir', 'm', 'empty');
    await fs.expectCall(true, 'remove', 'm', 'dir/f.txt');
    await fs.expectCall(false, 'exists', 'm', 'dir/f.txt');
    await fs.expectCall(false, 'remove', 'm', 'dir/f.txt');
    await fs.expectCall(false, 'remove', 'm', 'never/there');
    await fs.expectCall(true, 'remove', 'm', 'empty');
    await fs.expectCall(true, 'remove', 'm', 'dir');
    await fs.expectCall([], 'list', 'm');
  });

  reg.test('remove of a non-empty folder fails with FS_NOT_EMPTY and keeps it', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'dir/sub/f.txt', 'x');
    await fs.fails('FS_NOT_EMPTY', 'remove', 'm', 'dir');
    await fs.fails('FS_NOT_EMPTY', 'remove', 'm', 'dir/sub');
    await fs.expectCall('x', 'read', 'm', 'dir/sub/f.txt');
    await fs.fails('FS_INVALID_PATH', 'remove', 'm', '');
    await fs.fails('FS_INVALID_PATH', 'remove', 'm', '/');
  });

  reg.test('stat describes files and folders with ISO-8601 times', async (t) => {
    const fs = await t.open({ m: {} });
    const before = Date.now();
    await fs.call('write', 'm', 'dir/héllo wörld.txt', 'héllo');
    const after = Date.now();
    const skew = t.options.clockSkewMs ?? 600_000;
    const file = (await fs.call('stat', 'm', 'dir/héllo wörld.txt')) as ReadonlyMap<
      string,
      RillValue
    >;
    t.expect([...file.keys()]).toEqual(['name', 'type', 'size', 'modified', 'created']);
    t.expect(file.get('name')).toBe('héllo wörld.txt');
    t.expect(file.get('type')).toBe('file');
    t.expect(file.get('size')).toBe(6);
    for (const field of ['modified', 'created']) {
      const value = file.get(field);
      t.expect(typeof value, field).toBe('string');
      if (value === '') continue;
      t.expect(value, field).toMatch(ISO);
    }
    const modified = Date.parse(file.get('modified') as string);
    t.expect(modified).toBeGreaterThanOrEqual(before - skew);
    t.expect(modified).toBeLessThanOrEqual(after + skew);
    const folder = (await fs.call('stat', 'm', 'dir')) as ReadonlyMap<string, RillValue>;
    t.expect(folder.get('name')).toBe('dir');
    t.expect(folder.get('type')).toBe('directory');
    t.expect(folder.get('size')).toBe(0);
    const root = (await fs.call('stat', 'm', '')) as ReadonlyMap<string, RillValue>;
    t.expect(root.get('type')).toBe('directory');
    t.expect(root.get('name')).toBe('');
    await fs.fails('FS_NOT_FOUND', 'stat', 'm', 'missing.txt');
  });

  reg.test('mkdir creates folders with their parents and reports whether it did', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.expectCall(true, 'mkdir', 'm', 'a');
    await fs.expectCall(false, 'mkdir', 'm', 'a');
    await fs.expectCall(true, 'mkdir', 'm', 'x/y/z');
    await fs.expectCall(false, 'mkdir', 'm', 'x/y');
    await fs.expectCall(false, 'mkdir', 'm', '');
    await fs.expectCall(false, 'mkdir', 'm', 'x/y/z/');
    await fs.expectCall([entry('a', 'directory', 0), entry('x', 'directory', 0)], 'list', 'm');
    await fs.call('write', 'm', 'f.txt', 'x');
    await fs.fails('FS_NOT_A_DIRECTORY', 'mkdir', 'm', 'f.txt');
    await fs.fails('FS_NOT_A_DIRECTORY', 'mkdir', 'm', 'f.txt/sub');
    await fs.expectCall('x', 'read', 'm', 'f.txt');
  });

  reg.test('copy duplicates a file, replacing the target and creating parents', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'src file.txt', 'söurce');
    await fs.call('write', 'm', 'old.txt', 'old content that is longer');
    await fs.expectCall(true, 'copy', 'm', 'src file.txt', 'ünï cödé/😀 copy.txt');
    await fs.expectCall('söurce', 'read', 'm', 'ünï cödé/😀 copy.txt');
    await fs.expectCall('söurce', 'read', 'm', 'src file.txt');
    await fs.expectCall(true, 'copy', 'm', 'src file.txt', 'old.txt');
    await fs.expectCall('söurce', 'read', 'm', 'old.txt');
    await fs.expectCall(true, 'copy', 'm', 'old.txt', 'old.txt');
    await fs.expectCall('söurce', 'read', 'm', 'old.txt');
  });

  reg.test('move renames a file, replacing the target and creating parents', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'from here.txt', 'möved');
    await fs.call('write', 'm', 'target.txt', 'old content that is longer');
    await fs.expectCall(true, 'move', 'm', 'from here.txt', 'nëw dir/😀 moved.txt');
    await fs.expectCall('möved', 'read', 'm', 'nëw dir/😀 moved.txt');
    await fs.expectCall(false, 'exists', 'm', 'from here.txt');
    await fs.expectCall(true, 'move', 'm', 'nëw dir/😀 moved.txt', 'target.txt');
    await fs.expectCall('möved', 'read', 'm', 'target.txt');
    await fs.expectCall(false, 'exists', 'm', 'nëw dir/😀 moved.txt');
    await fs.expectCall(true, 'move', 'm', 'target.txt', 'target.txt');
    await fs.expectCall('möved', 'read', 'm', 'target.txt');
  });

  reg.test('copy and move refuse missing sources, folders and file parents', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'f.txt', 'x');
    await fs.call('write', 'm', 'dir/g.txt', 'y');
    const before = await fs.snapshot('m');
    for (const fn of ['copy', 'move'] as const) {
      await fs.fails('FS_NOT_FOUND', fn, 'm', 'missing.txt', 'new.txt');
      await fs.fails('FS_NOT_A_FILE', fn, 'm', 'dir', 'new-dir');
      await fs.fails('FS_NOT_A_FILE', fn, 'm', 'f.txt', 'dir');
      await fs.fails('FS_NOT_A_FILE', fn, 'm', 'f.txt', '');
      await fs.fails('FS_NOT_A_DIRECTORY', fn, 'm', 'dir/g.txt', 'f.txt/below.txt');
    }
    t.expect(await fs.snapshot('m')).toBe(before);
  });

  reg.test('list returns [name, type, size] entries sorted by code unit', async (t) => {
    const fs = await t.open({ m: {} });
    for (const name of [
      'ｚ.txt',
      'é.txt',
      '😀.txt',
      'a.txt',
      'B.txt',
      '_x',
      '.hidden',
      'a b.txt',
    ]) {
      await fs.call('write', 'm', name, name);
    }
    await fs.call('mkdir', 'm', 'dir');
    await fs.call('write', 'm', 'dir/inner.txt', 'abc');
    const expected = [
      '.hidden',
      'B.txt',
      '_x',
      'a b.txt',
      'a.txt',
      'dir',
      'é.txt',
      '😀.txt',
      'ｚ.txt',
    ];
    const listed = (await fs.call('list', 'm')) as readonly ReadonlyMap<string, RillValue>[];
    t.expect(listed.map((e) => e.get('name'))).toEqual(expected);
    for (const e of listed) {
      t.expect([...e.keys()]).toEqual(['name', 'type', 'size']);
      const name = e.get('name') as string;
      if (name === 'dir') t.expect([e.get('type'), e.get('size')]).toEqual(['directory', 0]);
      else
        t.expect([e.get('type'), e.get('size')]).toEqual(['file', Buffer.byteLength(name, 'utf8')]);
    }
    await fs.expectCall([entry('inner.txt', 'file', 3)], 'list', 'm', 'dir');
    await fs.expectCall([entry('inner.txt', 'file', 3)], 'list', 'm', '/dir/');
    await fs.call('mkdir', 'm', 'empty');
    await fs.expectCall([], 'list', 'm', 'empty');
    await fs.fails('FS_NOT_FOUND', 'list', 'm', 'missing');
    await fs.fails('FS_NOT_A_DIRECTORY', 'list', 'm', 'a.txt');
  });

  reg.test('find returns matching file paths, sorted', async (t) => {
    const fs = await t.open({ m: {} });
    const files = [
      'a.md',
      'b.txt',
      'a-b.md',
      'a/b.md',
      'a/c/d.md',
      'docs/x.md',
      'docs/y.txt',
      '.env',
      'c.md',
    ];
    for (const file of files) await fs.call('write', 'm', file, file);
    await fs.call('mkdir', 'm', 'only-folder/inside');
    await fs.expectCall([...files].sort(), 'find', 'm');
    await fs.expectCall([...files].sort(), 'find', 'm', '**/*');
    await fs.expectCall(['a-b.md', 'a.md', 'c.md'], 'find', 'm', '*.md');
    await fs.expectCall(
      ['a-b.md', 'a.md', 'a/b.md', 'a/c/d.md', 'c.md', 'docs/x.md'],
      'find',
      'm',
      '**/*.md',
    );
    await fs.expectCall(['docs/x.md', 'docs/y.txt'], 'find', 'm', 'docs/*');
    await fs.expectCall(['a/b.md', 'a/c/d.md'], 'find', 'm', 'a/**');
    await fs.expectCall(['a.md', 'c.md'], 'find', 'm', '?.md');
    await fs.expectCall(['a.md', 'b.txt'], 'find', 'm', '{a.md,b.txt}');
    await fs.expectCall(['a.md', 'c.md'], 'find', 'm', '[ac].md');
    await fs.expectCall(['docs/x.md'], 'find', 'm', 'docs/x.md');
    await fs.expectCall(['docs/x.md'], 'find', 'm', '/docs/x.md');
    await fs.expectCall([], 'find', 'm', 'nothing/**');
    await fs.expectCall([], 'find', 'm', 'only-folder/**');
  });

  reg.heavyTest('list and find are complete for a large folder', async (t) => {
    const fs = await t.open({ m: {} }, 'direct');
    const count = t.options.manyFiles ?? 1200;
    const names = Array.from({ length: count }, (_, i) => `f${String(i).padStart(5, '0')}.txt`);
    for (let i = 0; i < names.length; i += 50) {
      await Promise.all(names.slice(i, i + 50).map((n) => fs.call('write', 'm', `many/${n}`, n)));
    }
    const listed = (await fs.call('list', 'm', 'many')) as readonly ReadonlyMap<
      string,
      RillValue
    >[];
    t.expect(listed.map((e) => e.get('name'))).toEqual(names);
    const found = (await fs.script('find', 'm', 'many/*.txt')) as readonly string[];
    t.expect(found).toEqual(names.map((n) => `many/${n}`));
    const viaScript = await fs.run('fs::list("m", "many") -> .len');
    t.expect(viaScript).toBe(count);
  });

  reg.test('mounts() describes every mount and reveals no secrets', async (t) => {
    const fs = await t.open({
      a: {},
      b: { mode: 'read', glob: '*.md', maxFileSize: 100 },
      c: { mode: 'write' },
    });
    const list = (await fs.call('mounts')) as readonly ReadonlyMap<string, RillValue>[];
    const byName = new Map(list.map((m) => [m.get('name'), m]));
    t.expect([...byName.keys()].sort()).toEqual(['a', 'b', 'c']);
    t.expect(byName.get('a')?.get('mode')).toBe('read-write');
    t.expect(byName.get('b')?.get('mode')).toBe('read');
    t.expect(byName.get('c')?.get('mode')).toBe('write');
    t.expect(byName.get('b')?.get('glob')).toBe('*.md');
    t.expect(byName.get('b')?.get('maxFileSize')).toBe(100);
    t.expect(byName.get('a')?.get('maxFileSize')).toBe(10 * 1024 * 1024);
    for (const row of list) {
      const backend = row.get('backend');
      t.expect(typeof backend === 'string' && backend.length > 0).toBe(true);
      if (t.options.backendName !== undefined) t.expect(backend).toBe(t.options.backendName);
    }
    t.checkSecrets(JSON.stringify(list.map((m) => Object.fromEntries(m))));
    t.expect(
      JSON.stringify(list.map((m) => Object.fromEntries(m))).includes(t.namespace),
      'mounts() shows no storage location (paths, buckets, prefixes)',
    ).toBe(false);
  });

  reg.test('an unknown mount fails with FS_UNKNOWN_MOUNT for every function', async (t) => {
    const fs = await t.open({ m: {} });
    for (const [fn, ...args] of everyFsMountCall('nope'))
      await fs.fails('FS_UNKNOWN_MOUNT', fn, ...args);
    await fs.fails('FS_UNKNOWN_MOUNT', 'read', 'M', 'a.txt');
  });

  reg.test('mounts are separate roots', async (t) => {
    const fs = await t.open({ a: {}, b: {} });
    await fs.call('write', 'a', 'f.txt', 'in a');
    await fs.expectCall(false, 'exists', 'b', 'f.txt');
    await fs.expectCall([], 'find', 'b');
  });
}
