import type { Stats } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, parse, resolve, sep } from 'node:path';
import { fsError } from '@rillkit/core';
import { errnoOf, mapFsError } from './map-error.js';

// Linux's MAXSYMLINKS: past this many links in one walk, give up as the kernel would.
const MAX_LINKS = 40;

/** Where a mount path leads on disk, with every symlink on the way resolved. */
export type ResolvedPath =
  /** Something is there; `real` contains no symlinks. */
  | { readonly kind: 'found'; readonly real: string; readonly stats: Stats }
  /**
   * Nothing is there. `existingDir` is the deepest folder on the way that exists (real);
   * creating `missing` below it, in order, makes `real`. `missing` is empty-free.
   */
  | {
      readonly kind: 'missing';
      readonly real: string;
      readonly existingDir: string;
      readonly missing: readonly string[];
    }
  /**
   * Nothing is there and nothing can be created there: a file is in the way (a parent is a
   * file), or a dangling link's target continues with `..` below a missing folder.
   */
  | {
      readonly kind: 'blocked';
      readonly real: string;
      readonly reason: 'file-in-the-way' | 'unreachable';
    };

/** True when the absolute real path `path` is `root` or below it. */
export function isInside(root: string, path: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

async function lstatOrUndefined(path: string, rel: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    // ENOTDIR cannot happen: every folder we descend into was checked to be one.
    throw mapFsError(error, rel);
  }
}

/**
 * Walk the canonical mount path `rel` below the real mount folder `root` one name at a time,
 * expanding every symlink the way the kernel would (relative and absolute targets, `..` in
 * targets, at most 40 links), and report where it leads. Doing the walk ourselves (rather than
 * `realpath`) gives a precise answer for paths that do not exist yet — including dangling
 * links, whose *target* decides whether a write would land outside the mount.
 *
 * @throws `FS_PATH_ESCAPE` when the path (or the folder that would hold it) resolves outside
 *   `root`; `FS_INVALID_PATH` for a symlink loop; `FS_BACKEND_UNAVAILABLE` when the mount
 *   folder itself is gone.
 */
export async function resolveInRoot(root: string, rel: string): Promise<ResolvedPath> {
  const rootStats = await lstatOrUndefined(root, rel);
  if (rootStats === undefined || !rootStats.isDirectory()) {
    throw fsError('FS_BACKEND_UNAVAILABLE', rel, { reason: 'the mount folder no longer exists' });
  }
  const result = await walk(root, rel, rootStats);
  if (!isInside(root, result.real)) {
    throw fsError('FS_PATH_ESCAPE', rel, {
      reason: 'a symbolic link on the way points outside the mount',
    });
  }
  return result;
}

async function walk(root: string, rel: string, rootStats: Stats): Promise<ResolvedPath> {
  const queue = rel === '' ? [] : rel.split('/');
  let current = root;
  let currentStats: Stats | undefined = rootStats;
  let links = 0;
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      current = dirname(current);
      currentStats = undefined;
      continue;
    }
    const candidate = join(current, name);
    const stats = await lstatOrUndefined(candidate, rel);
    if (stats === undefined) {
      if (queue.includes('..')) {
        // Only a link target can bring '..' here; below a missing folder the kernel would
        // stop with ENOENT, so this path can be neither read nor created.
        return { kind: 'blocked', real: resolve(candidate, ...queue), reason: 'unreachable' };
      }
      const missing = [name, ...queue.filter((s) => s !== '' && s !== '.')];
      return { kind: 'missing', real: join(current, ...missing), existingDir: current, missing };
    }
    if (stats.isSymbolicLink()) {
      links += 1;
      if (links > MAX_LINKS)
        throw fsError('FS_INVALID_PATH', rel, { reason: 'too many levels of symbolic links' });
      let target: string;
      try {
        target = await readlink(candidate);
      } catch (error) {
        throw mapFsError(error, rel);
      }
      if (isAbsolute(target)) current = parse(target).root;
      queue.unshift(...target.split(sep));
      continue;
    }
    const more = queue.some((s) => s !== '');
    if (more && !stats.isDirectory())
      return { kind: 'blocked', real: candidate, reason: 'file-in-the-way' };
    current = candidate;
    currentStats = stats;
  }
  currentStats ??= await lstatOrUndefined(current, rel);
  if (currentStats === undefined) {
    // A '..' climbed into a folder that vanished meanwhile.
    return { kind: 'blocked', real: current, reason: 'unreachable' };
  }
  return { kind: 'found', real: current, stats: currentStats };
}
