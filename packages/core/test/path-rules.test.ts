import { describe, expect, it } from 'vitest';
import {
  FS_MAX_NAME_BYTES,
  FS_MAX_PATH_BYTES,
  fsBaseName,
  isValidFsName,
  joinFsPath,
  normalizeFsPath,
  RillError,
} from '../src/index.js';

type Expected = { ok: string } | { code: 'FS_PATH_ESCAPE' | 'FS_INVALID_PATH' };

function outcome(path: string): Expected {
  try {
    return { ok: normalizeFsPath(path) };
  } catch (error) {
    if (
      RillError.is(error) &&
      (error.code === 'FS_PATH_ESCAPE' || error.code === 'FS_INVALID_PATH')
    ) {
      return { code: error.code };
    }
    throw error;
  }
}

const ESCAPE = { code: 'FS_PATH_ESCAPE' } as const;
const INVALID = { code: 'FS_INVALID_PATH' } as const;
const ok = (canonical: string) => ({ ok: canonical });

const name255 = 'n'.repeat(FS_MAX_NAME_BYTES);
// 255 + 255 + 255 + 200 + 55 bytes of names and 4 slashes: exactly 1,024 bytes.
const deep1024 = [
  'a'.repeat(255),
  'b'.repeat(255),
  'c'.repeat(255),
  'd'.repeat(200),
  'e'.repeat(55),
].join('/');

// Each row: a path a script might pass, and its canonical form or the error code.
const corpus: [string, string, Expected][] = [
  // The root, spelled many ways.
  ['empty', '', ok('')],
  ['slash', '/', ok('')],
  ['dot', '.', ok('')],
  ['dot slash', './', ok('')],
  ['slash dot', '/.', ok('')],
  ['many slashes', '////', ok('')],
  ['dots and slashes', './/./.', ok('')],
  ['down and back up', 'a/..', ok('')],
  // Ordinary paths.
  ['plain', 'a.txt', ok('a.txt')],
  ['leading slash', '/a/b.txt', ok('a/b.txt')],
  ['trailing slash', 'a/b/', ok('a/b')],
  ['trailing slashes', 'a/b///', ok('a/b')],
  ['double slash', 'a//b', ok('a/b')],
  ['dot segments', './a/./b/.', ok('a/b')],
  ['dotdot inside', 'a/../b', ok('b')],
  ['dotdot twice inside', 'a/b/../../c', ok('c')],
  ['dotdot at end stays inside', 'a/b/..', ok('a')],
  ['spaces kept', ' a /  b ', ok(' a /  b ')],
  ['three dots is a name', '...', ok('...')],
  ['dotdot prefix is a name', '..a', ok('..a')],
  ['dotdot suffix is a name', 'a..', ok('a..')],
  ['dot file', '.env', ok('.env')],
  // `..` escapes in many forms.
  ['dotdot', '..', ESCAPE],
  ['dotdot slash', '../', ESCAPE],
  ['slash dotdot', '/..', ESCAPE],
  ['dotdot file', '../etc/passwd', ESCAPE],
  ['deep escape', 'a/../../b', ESCAPE],
  ['escape then return', '../root/a', ESCAPE],
  ['escape hidden by dots', './../a', ESCAPE],
  ['escape behind double slashes', 'a//..//..//b', ESCAPE],
  ['escape after trailing slash', 'a/b/../../../', ESCAPE],
  ['many dotdots', '../../../../../../../../etc/passwd', ESCAPE],
  ['absolute-looking escape', '/../../x', ESCAPE],
  // Not decoded: literal names, allowed.
  ['percent-encoded dots', '%2e%2e', ok('%2e%2e')],
  ['percent-encoded escape', '%2e%2e/%2e%2e/etc', ok('%2e%2e/%2e%2e/etc')],
  ['percent-encoded slash', '..%2f..%2fetc', ok('..%2f..%2fetc')],
  ['double-encoded', '%252e%252e', ok('%252e%252e')],
  ['unicode one-dot leader', '\u2024\u2024', ok('\u2024\u2024')],
  ['fullwidth full stops', '\uff0e\uff0e/x', ok('\uff0e\uff0e/x')],
  ['overlong-UTF-8 lookalike text', '%c0%ae%c0%ae', ok('%c0%ae%c0%ae')],
  ['fraction slash is not a separator', '..\u2215..\u2215x', ok('..\u2215..\u2215x')],
  ['unicode names', 'données/日本語/😀.txt', ok('données/日本語/😀.txt')],
  ['zero-width joiner', 'a\u200db', ok('a\u200db')],
  ['glob characters are literal', '[*?]{a,b}', ok('[*?]{a,b}')],
  // Backslashes (a Windows separator and escape character) are refused everywhere.
  ['backslash escape', '..\\..\\x', INVALID],
  ['backslash alone', '\\', INVALID],
  ['backslash in a name', 'a\\b', INVALID],
  ['UNC-looking', '\\\\server\\share', INVALID],
  // NUL and control characters.
  ['NUL', 'a\0b', INVALID],
  ['NUL at end', 'a.txt\0.png', INVALID],
  ['NUL only', '\0', INVALID],
  ['newline', 'a\nb', INVALID],
  ['carriage return', 'a\r', INVALID],
  ['tab', '\tx', INVALID],
  ['escape char', '\u001b[31m', INVALID],
  ['DEL', 'a\u007f', INVALID],
  ['C1 control', 'a\u0085b', INVALID],
  ['C1 CSI', '\u009b', INVALID],
  ['control char hides escape', '..\u0000/..', INVALID],
  // Unpaired surrogates would not survive UTF-8.
  ['lone high surrogate', 'a\ud800', INVALID],
  ['lone low surrogate', '\udc00b', INVALID],
  ['reversed pair', '\ude00\ud83d', INVALID],
  // Lengths.
  ['name of 255 bytes', name255, ok(name255)],
  ['name of 256 bytes', name255 + 'x', INVALID],
  ['name of 255 bytes in multibyte chars', 'é'.repeat(127) + 'x', ok('é'.repeat(127) + 'x')],
  ['name of 256 bytes in multibyte chars', 'é'.repeat(128), INVALID],
  ['path of 1024 bytes', deep1024, ok(deep1024)],
  ['path of 1025 bytes', deep1024 + 'f', INVALID],
  ['long but collapsing input', '/.'.repeat(5000) + '/a', ok('a')],
  ['long dotdot chain inside', 'a/'.repeat(600) + '../'.repeat(600) + 'b', ok('b')],
  ['long dotdot chain escaping', 'a/'.repeat(600) + '../'.repeat(601) + 'b', ESCAPE],
];

describe('normalizeFsPath (hostile corpus)', () => {
  it('has at least 40 cases', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(Buffer.byteLength(deep1024)).toBe(FS_MAX_PATH_BYTES);
  });

  it.each(corpus)('%s', (_label, path, expected) => {
    expect(outcome(path)).toEqual(expected);
  });

  it('is idempotent on canonical output', () => {
    for (const [, path] of corpus) {
      const result = outcome(path);
      if ('ok' in result) expect(normalizeFsPath(result.ok)).toBe(result.ok);
    }
  });

  it('reports the raw path in details and never a host path', () => {
    try {
      normalizeFsPath('a/../../b');
      expect.unreachable();
    } catch (error) {
      expect(RillError.is(error) && error.details['path']).toBe('a/../../b');
    }
  });

  it('gives INVALID_PATH precedence over ESCAPE', () => {
    expect(outcome('../a\0')).toEqual(INVALID);
  });
});

describe('path helpers', () => {
  it('isValidFsName', () => {
    expect(isValidFsName('a.txt')).toBe(true);
    expect(isValidFsName('...')).toBe(true);
    for (const bad of ['', '.', '..', 'a/b', 'a\\b', 'a\nb', 'x'.repeat(256), '\ud800']) {
      expect(isValidFsName(bad)).toBe(false);
    }
  });

  it('fsBaseName and joinFsPath', () => {
    expect(fsBaseName('')).toBe('');
    expect(fsBaseName('a')).toBe('a');
    expect(fsBaseName('a/b/c.md')).toBe('c.md');
    expect(joinFsPath('', 'a')).toBe('a');
    expect(joinFsPath('a/b', 'c')).toBe('a/b/c');
  });
});
