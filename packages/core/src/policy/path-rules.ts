import { fsError } from './fs-errors.js';

/** The longest canonical path, in UTF-8 bytes (S3's key limit; deeper trees are refused). */
export const FS_MAX_PATH_BYTES = 1024;

/** The longest single name (path segment), in UTF-8 bytes (the common file-system limit). */
export const FS_MAX_NAME_BYTES = 255;

const encoder = new TextEncoder();

/** Why a raw path breaks the character rules, or `undefined` when it does not. */
function characterProblem(path: string): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    // C0 controls (incl. NUL), DEL and C1 controls: Unicode category Cc.
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return c === 0
        ? 'NUL character'
        : `control character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    }
    if (c === 0x5c) return 'backslash (paths use "/")';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = path.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return 'unpaired surrogate (not valid Unicode)';
    }
    // An unpaired low surrogate would be written as U+FFFD and never read back by name.
    if (c >= 0xdc00 && c <= 0xdfff) return 'unpaired surrogate (not valid Unicode)';
  }
  return undefined;
}

/**
 * Validate a path a script passed and return its canonical form: relative to the mount root,
 * `/`-separated, no leading or trailing slash, `''` for the root. The same rules hold on every
 * backend:
 *
 * - A leading `/` means the mount root; empty segments (`a//b`, trailing `/`) collapse;
 *   `.` segments are dropped.
 * - `..` removes the previous segment. A `..` that would step above the root — at any point,
 *   even if a later segment comes back down (`../root/x`) — throws `FS_PATH_ESCAPE`.
 *   `..` is resolved on the text, before any symlink is looked at (`link/..` is the root).
 * - NUL, control characters (U+0000–U+001F, U+007F–U+009F), backslashes and unpaired UTF-16
 *   surrogates throw `FS_INVALID_PATH`.
 * - A name longer than {@link FS_MAX_NAME_BYTES} or a canonical path longer than
 *   {@link FS_MAX_PATH_BYTES} UTF-8 bytes throws `FS_INVALID_PATH`.
 * - Nothing is decoded or normalised beyond that: `%2e%2e`, `...`, `．．` (fullwidth dots),
 *   names with spaces and any other Unicode are literal names, compared as given (no Unicode
 *   normalisation, no case folding).
 *
 * @example
 * normalizeFsPath('/notes/./2024//a.md/') // 'notes/2024/a.md'
 * normalizeFsPath('a/../b')               // 'b'
 * normalizeFsPath('a/../../b')            // throws FS_PATH_ESCAPE
 * normalizeFsPath('a\\b')                 // throws FS_INVALID_PATH
 */
export function normalizeFsPath(path: string): string {
  if (typeof path !== 'string')
    throw fsError('FS_INVALID_PATH', String(path), { reason: 'not a string' });
  const problem = characterProblem(path);
  if (problem !== undefined) throw fsError('FS_INVALID_PATH', path, { reason: problem });
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) throw fsError('FS_PATH_ESCAPE', path);
      out.pop();
      continue;
    }
    out.push(segment);
  }
  for (const segment of out) {
    if (encoder.encode(segment).length > FS_MAX_NAME_BYTES) {
      throw fsError('FS_INVALID_PATH', path, {
        reason: `a name is longer than ${FS_MAX_NAME_BYTES} bytes`,
      });
    }
  }
  const canonical = out.join('/');
  if (encoder.encode(canonical).length > FS_MAX_PATH_BYTES) {
    throw fsError('FS_INVALID_PATH', path, {
      reason: `the path is longer than ${FS_MAX_PATH_BYTES} bytes`,
    });
  }
  return canonical;
}

/**
 * True when `name` is a single name a script could address: non-empty, not `.` or `..`, no
 * `/`, and within the path rules of {@link normalizeFsPath}. Listings omit entries whose names
 * fail this (e.g. a host-created file with a backslash or a newline in its name).
 */
export function isValidFsName(name: string): boolean {
  if (name === '' || name === '.' || name === '..' || name.includes('/')) return false;
  return characterProblem(name) === undefined && encoder.encode(name).length <= FS_MAX_NAME_BYTES;
}

/** The last segment of a canonical path (`''` for the root). */
export function fsBaseName(canonical: string): string {
  const i = canonical.lastIndexOf('/');
  return i < 0 ? canonical : canonical.slice(i + 1);
}

/** Join a canonical folder path and a name (`''` + `a` = `a`). */
export function joinFsPath(folder: string, name: string): string {
  return folder === '' ? name : `${folder}/${name}`;
}
