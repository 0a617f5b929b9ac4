import { describe, expect, it } from 'vitest';
import { fsError, RillError } from '@rillkit/core';
import { mapFsError } from '../../src/ext/fs/map-error.js';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: /host/secret/path`), {
    code,
    path: '/host/secret/path',
  });
}

describe('mapFsError', () => {
  it.each([
    ['ENOENT', 'FS_NOT_FOUND'],
    ['ENOTDIR', 'FS_NOT_A_DIRECTORY'],
    ['EISDIR', 'FS_NOT_A_FILE'],
    ['ENOTEMPTY', 'FS_NOT_EMPTY'],
    ['EEXIST', 'FS_NOT_A_DIRECTORY'],
    ['ELOOP', 'FS_INVALID_PATH'],
    ['ENAMETOOLONG', 'FS_INVALID_PATH'],
    ['EACCES', 'FS_BACKEND_FAILURE'],
    ['EPERM', 'FS_BACKEND_FAILURE'],
    ['ENOSPC', 'FS_BACKEND_FAILURE'],
    ['EXDEV', 'FS_BACKEND_FAILURE'],
    ['EWHATEVER', 'FS_BACKEND_FAILURE'],
  ])(
    '%s -> %s, with errno in details, the cause kept and no host path in the message',
    (code, expected) => {
      const raw = errno(code);
      const mapped = mapFsError(raw, 'a/b.txt');
      expect(RillError.is(mapped)).toBe(true);
      expect(mapped.code).toBe(expected);
      expect(mapped.details).toMatchObject({ path: 'a/b.txt', errno: code });
      expect(mapped.cause).toBe(raw);
      expect(mapped.message).not.toContain('/host/secret');
    },
  );

  it('passes coded errors through and wraps uncoded non-errno errors', () => {
    const coded = fsError('FS_PATH_ESCAPE', 'x');
    expect(mapFsError(coded, 'y')).toBe(coded);
    const plain = mapFsError(new TypeError('boom'), 'z');
    expect(plain.code).toBe('FS_BACKEND_FAILURE');
    expect(plain.details['errno']).toBeUndefined();
  });
});
