import type { RillValue } from '@rillkit/core';
import type { FsCaseRegistrar } from '../fs-case-registrar.js';

const FILES = [
  'a.md',
  'b.js',
  'notes.txt',
  '.hidden.md',
  'sub/c.md',
  'sub/d.js',
  'sub/deeper/e.txt',
];

/** §4 mount glob: admitted names only; others denied on access and hidden from listings. */
export function globCases(reg: FsCaseRegistrar): void {
  reg.test('a glob without "/" admits files by base name for reads and writes', async (t) => {
    const all = await t.open({ docs: {} });
    for (const file of FILES) await all.call('write', 'docs', file, file);
    const fs = await t.open({ docs: { glob: '*.{md,txt}' } });
    await fs.expectCall('a.md', 'read', 'docs', 'a.md');
    await fs.expectCall('sub/c.md', 'read', 'docs', 'sub/c.md');
    await fs.expectCall('.hidden.md', 'read', 'docs', '.hidden.md');
    await fs.expectCall(3, 'write', 'docs', 'sub/new.txt', 'new');
    await fs.expectCall(1, 'append', 'docs', 'notes.txt', '!');
    await fs.fails('FS_GLOB_DENIED', 'read', 'docs', 'b.js');
    await fs.fails('FS_GLOB_DENIED', 'read', 'docs', 'sub/d.js');
    await fs.fails('FS_GLOB_DENIED', 'read', 'docs', 'missing.js');
    await fs.fails('FS_GLOB_DENIED', 'write', 'docs', 'x.js', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'docs', 'a.md.js', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'docs', 'README', 'x');
    await fs.fails('FS_GLOB_DENIED', 'append', 'docs', 'b.js', 'x');
    await fs.fails('FS_GLOB_DENIED', 'stat', 'docs', 'b.js');
    await fs.fails('FS_GLOB_DENIED', 'exists', 'docs', 'b.js');
    await fs.fails('FS_GLOB_DENIED', 'remove', 'docs', 'b.js');
    await all.expectCall('b.js', 'read', 'docs', 'b.js');
    await all.expectCall(false, 'exists', 'docs', 'x.js');
  });

  reg.test('copy and move need both names admitted', async (t) => {
    const all = await t.open({ docs: {} });
    for (const file of FILES) await all.call('write', 'docs', file, file);
    const fs = await t.open({ docs: { glob: '*.{md,txt}' } });
    await fs.fails('FS_GLOB_DENIED', 'copy', 'docs', 'a.md', 'a.js');
    await fs.fails('FS_GLOB_DENIED', 'copy', 'docs', 'b.js', 'b.md');
    await fs.fails('FS_GLOB_DENIED', 'move', 'docs', 'a.md', 'a.js');
    await fs.fails('FS_GLOB_DENIED', 'move', 'docs', 'b.js', 'b.md');
    await fs.expectCall(true, 'copy', 'docs', 'a.md', 'sub/a copy.md');
    await fs.expectCall(true, 'move', 'docs', 'notes.txt', 'moved.md');
    await all.expectCall(
      [
        '.hidden.md',
        'a.md',
        'b.js',
        'moved.md',
        'sub/a copy.md',
        'sub/c.md',
        'sub/d.js',
        'sub/deeper/e.txt',
      ],
      'find',
      'docs',
    );
  });

  reg.test('list and find omit files the glob does not admit; folders always show', async (t) => {
    const all = await t.open({ docs: {} });
    for (const file of FILES) await all.call('write', 'docs', file, file);
    await all.call('mkdir', 'docs', 'folder.js');
    const fs = await t.open({ docs: { glob: '*.md' } });
    const names = async (path: string): Promise<unknown[]> =>
      ((await fs.call('list', 'docs', path)) as readonly ReadonlyMap<string, RillValue>[]).map(
        (e) => e.get('name'),
      );
    t.expect(await names('')).toEqual(['.hidden.md', 'a.md', 'folder.js', 'sub']);
    t.expect(await names('sub')).toEqual(['c.md', 'deeper']);
    t.expect(await names('sub/deeper')).toEqual([]);
    await fs.expectCall(['.hidden.md', 'a.md', 'sub/c.md'], 'find', 'docs');
    await fs.expectCall([], 'find', 'docs', '**/*.js');
    await fs.expectCall(['sub/c.md'], 'find', 'docs', 'sub/**');
    await fs.expectCall(true, 'exists', 'docs', 'folder.js');
    await fs.expectCall(true, 'mkdir', 'docs', 'new.js');
    await fs.expectCall(false, 'exists', 'docs', 'absent.js');
    await fs.expectCall(false, 'remove', 'docs', 'absent.js');
  });

  reg.test('a glob with "/" is matched against the whole relative path', async (t) => {
    const fs = await t.open({ m: { glob: 'docs/**/*.md' } });
    await fs.expectCall(1, 'write', 'm', 'docs/a.md', 'x');
    await fs.expectCall(1, 'write', 'm', 'docs/x/y/b.md', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'm', 'a.md', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'm', 'other/docs/a.md', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'm', 'docs/a.txt', 'x');
    await fs.expectCall(['docs/a.md', 'docs/x/y/b.md'], 'find', 'm');
  });

  reg.test('glob brace, class and negation syntax work as documented by picomatch', async (t) => {
    const fs = await t.open({ cls: { glob: '[ab]?.txt' }, neg: { glob: '!*.secret' } });
    await fs.expectCall(1, 'write', 'cls', 'a1.txt', 'x');
    await fs.expectCall(1, 'write', 'cls', 'bz.txt', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'cls', 'c1.txt', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'cls', 'a12.txt', 'x');
    await fs.expectCall(1, 'write', 'neg', 'open.txt', 'x');
    await fs.fails('FS_GLOB_DENIED', 'write', 'neg', 'key.secret', 'x');
  });
}
