import type { ErrorCode, RillValue } from '@rillkit/core';
import type { FsCaseRegistrar } from '../fs-case-registrar.js';
import type { FsFunctionName } from '../fs-harness.js';

/** Paths that step above the mount root: `FS_PATH_ESCAPE` everywhere. */
export const ESCAPING_PATHS: readonly string[] = [
  '..',
  '../',
  '../x.txt',
  '../../x.txt',
  'a/../../x.txt',
  './../x.txt',
  '/..',
  '/../x.txt',
  '//..//x.txt',
  'a/b/../../../x.txt',
  '..//x.txt',
  '.././x.txt',
  '../.',
  'a/./../..',
  'x/..//..',
  'a/../..',
  'a/../b/../../c.txt',
  '../a/../x.txt',
  '../sibling/x.txt',
  'a/'.repeat(300) + '../'.repeat(301) + 'x.txt',
];

/** Paths with forbidden characters or sizes: `FS_INVALID_PATH` everywhere. */
export const INVALID_PATHS: readonly string[] = [
  'a\u0000b.txt',
  '\u0000',
  'x.txt\u0000.md',
  'a\nb.txt',
  'a\rb.txt',
  '\t',
  'a\u001fb',
  '\u001b[31mred',
  'a\u007fb',
  'a\u0085b',
  'a\\b.txt',
  '\\',
  '..\\x.txt',
  'a\\..\\..\\x.txt',
  'C:\\x.txt',
  '\\\\server\\share',
  'a\ud800b',
  'n'.repeat(256),
  'é'.repeat(128),
  'abcdefghi/'.repeat(103) + 'x',
];

/** Spellings of `a/b.txt` that the path rules reduce to it. */
export const ALIASES: readonly string[] = [
  'a/b.txt',
  'a//b.txt',
  '/a/b.txt',
  './a/b.txt',
  'a/./b.txt',
  'a/b.txt/',
  'x/../a/b.txt',
  '//a///b.txt',
  'a/c/../b.txt',
  'a/c/d/../../b.txt',
  '/./a/./b.txt/.',
];

/** Odd but valid names: each one is its own literal, distinct file. */
export const ODD_NAMES: readonly string[] = [
  '%2e%2e',
  '%2e%2e%2fx.txt',
  '...',
  '....',
  '..a',
  'a..',
  '.a',
  '．．',
  '…',
  'name with spaces.txt',
  ' lead',
  'trail ',
  'ünïcödé.txt',
  '😀.txt',
  'e\u0301',
  '\u00e9',
  'A.txt',
  'a.txt',
  'CON',
  'nul',
  'aux.txt',
  '#hash',
  '?q',
  '*star',
  '[x]',
  '{a,b}',
  'a:b',
  '$HOME',
  "'q'",
  '"dq"',
  '-dash',
  '~tilde',
  '@at',
  '!bang',
  '&amp;',
  '%00',
  'zero\u200bwidth',
  'n'.repeat(255),
];

/** Odd but valid nested paths. */
const ODD_NESTED: readonly string[] = [
  '．．/x.txt',
  '%2e%2e/x.txt',
  '.../x.txt',
  'dir with space/file with space.txt',
  'a'.repeat(255) + '/' + 'b'.repeat(255) + '/' + 'c'.repeat(255) + '/' + 'd'.repeat(255),
];

/** One call per path argument of every path-taking function, the other argument valid. */
function everyPathCall(mount: string, path: string): readonly [FsFunctionName, ...unknown[]][] {
  return [
    ['read', mount, path],
    ['write', mount, path, 'x'],
    ['append', mount, path, 'x'],
    ['exists', mount, path],
    ['list', mount, path],
    ['remove', mount, path],
    ['stat', mount, path],
    ['mkdir', mount, path],
    ['copy', mount, path, 'ok.txt'],
    ['copy', mount, 'ok.txt', path],
    ['move', mount, path, 'ok.txt'],
    ['move', mount, 'ok.txt', path],
  ];
}

/** §4 path rules: the hostile corpus, aliases and odd-but-valid names. */
export function pathsCases(reg: FsCaseRegistrar): void {
  const corpus: readonly (readonly [string, ErrorCode])[] = [
    ...ESCAPING_PATHS.map((p) => [p, 'FS_PATH_ESCAPE'] as const),
    ...INVALID_PATHS.map((p) => [p, 'FS_INVALID_PATH'] as const),
  ];
  reg.test(
    `${corpus.length} hostile paths fail with their code in every path argument`,
    async (t) => {
      const fs = await t.open({ m: {} });
      await fs.call('write', 'm', 'ok.txt', 'ok');
      const before = await fs.snapshot('m');
      for (const [path, code] of corpus) {
        for (const [fn, ...args] of everyPathCall('m', path)) await fs.fails(code, fn, ...args);
      }
      t.expect(await fs.snapshot('m')).toBe(before);
    },
  );

  reg.test('aliases of one path reach the same file in every function', async (t) => {
    const fs = await t.open({ m: {} });
    for (const alias of ALIASES) {
      await fs.expectCall(alias.length, 'write', 'm', alias, alias);
      await fs.expectCall(alias, 'read', 'm', 'a/b.txt');
      await fs.expectCall(alias, 'read', 'm', alias);
      await fs.expectCall(true, 'exists', 'm', alias);
      const stat = (await fs.call('stat', 'm', alias)) as ReadonlyMap<string, RillValue>;
      t.expect(stat.get('name'), `stat(${alias}).name`).toBe('b.txt');
      await fs.expectCall(['a/b.txt'], 'find', 'm');
    }
    await fs.expectCall(true, 'copy', 'm', 'a//b.txt', '/a/./copy.txt');
    await fs.expectCall(true, 'move', 'm', './a/copy.txt', 'a/c/../moved.txt');
    await fs.expectCall(['a/b.txt', 'a/moved.txt'], 'find', 'm');
    await fs.expectCall(false, 'mkdir', 'm', '/a/./');
    await fs.expectCall(true, 'remove', 'm', 'x/../a//moved.txt');
    await fs.expectCall(['a/b.txt'], 'find', 'm');
  });

  reg.test('odd but valid names are literal, distinct files', async (t) => {
    const fs = await t.open({ m: {} });
    for (const name of ODD_NAMES)
      await fs.expectCall(Buffer.byteLength(name, 'utf8'), 'write', 'm', name, name);
    for (const name of ODD_NAMES) {
      await fs.expectCall(name, 'read', 'm', name);
      await fs.expectCall(true, 'exists', 'm', name);
      const stat = (await fs.call('stat', 'm', name)) as ReadonlyMap<string, RillValue>;
      t.expect(stat.get('name')).toBe(name);
    }
    const listed = (await fs.call('list', 'm')) as readonly ReadonlyMap<string, RillValue>[];
    t.expect(listed.map((e) => e.get('name'))).toEqual([...ODD_NAMES].sort());
    await fs.expectCall([...ODD_NAMES].sort(), 'find', 'm');
    // Some nested paths reuse a name above as a folder, so the flat files go first.
    for (const name of ODD_NAMES) await fs.expectCall(true, 'remove', 'm', name);
    for (const path of ODD_NESTED) {
      await fs.expectCall(1, 'write', 'm', path, 'x');
      await fs.expectCall('x', 'read', 'm', path);
    }
    await fs.expectCall([...ODD_NESTED].sort(), 'find', 'm');
  });

  reg.test('names that look like temporary files are never written-but-invisible', async (t) => {
    const fs = await t.open({ m: {} });
    // Backends may reserve names for their own temporary files, but then they must refuse
    // them; a file a script wrote must show in list and find like any other.
    const names = [
      '.rilltmp-1-abcdef.txt',
      '.rilltmp-',
      '.tmp',
      'x.tmp',
      '~x',
      '.~lock.x#',
      '.#x',
      'x~',
      '.DS_Store',
      '.git',
    ];
    const written: string[] = [];
    for (const name of names) {
      try {
        await fs.call('write', 'm', `dir/${name}`, name);
        written.push(name);
      } catch (err) {
        t.expect((err as { code?: unknown }).code, `write(${name})`).toBe('FS_INVALID_PATH');
      }
    }
    const listed = (await fs.call('list', 'm', 'dir')) as readonly ReadonlyMap<string, RillValue>[];
    t.expect(listed.map((e) => e.get('name'))).toEqual([...written].sort());
    await fs.expectCall(
      [...written].sort().map((n) => `dir/${n}`),
      'find',
      'm',
    );
  });

  reg.test('copy and move keep odd names exact', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'e\u0301', 'decomposed');
    await fs.expectCall(true, 'copy', 'm', 'e\u0301', '\u00e9');
    await fs.expectCall(true, 'move', 'm', 'e\u0301', '．．/e\u0301 moved');
    await fs.expectCall(['\u00e9', '．．/e\u0301 moved'], 'find', 'm');
  });

  reg.test('find cannot reach outside the mount and refuses invalid patterns', async (t) => {
    const fs = await t.open({ m: {} });
    await fs.call('write', 'm', 'a.txt', 'x');
    await fs.expectCall([], 'find', 'm', '../**');
    await fs.expectCall([], 'find', 'm', '../*');
    await fs.expectCall(['a.txt'], 'find', 'm', '/**/*');
    await fs.fails('FS_INVALID_PATH', 'find', 'm', '');
    await fs.fails('FS_INVALID_PATH', 'find', 'm', '*\u0000');
    await fs.fails('FS_INVALID_PATH', 'find', 'm', '*\n');
  });
}
