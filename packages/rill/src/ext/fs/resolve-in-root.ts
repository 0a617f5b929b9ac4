import type { Stats } from 'node:fs';
import { lstat, readlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, relative, resolve, sep } from 'node:path';
import { fsError } from '@rillkit/core';
import { entryPath, type Folder, type FolderScope } from './folder-scope.js';
import { errnoOf, mapFsError } from './map-error.js';

// Linux's MAXSYMLINKS: past this many links in one walk, give up as the kernel would.
const MAX_LINKS = 40;
// A name that keeps changing kind between two looks is given up on after this many tries.
const MAX_RELOOKS = 5;

/** Where a mount path leads, with every symlink on the way resolved. */
export type ResolvedPath =
  /**
   * Something is there: the entry `name` of `folder` (`.` for the mount root itself), never a
   * symlink. `real` is its real path when the walk reached it.
   */
  | {
      readonly kind: 'found';
      readonly real: string;
      readonly stats: Stats;
      readonly folder: Folder;
      readonly name: string;
    }
  /**
   * Nothing is there. `existing` is the deepest folder on the way that exists; creating
   * `missing` below it, in order, makes `real`. `missing` is non-empty and has no empty,
   * `.` or `..` names.
   */
  | {
      readonly kind: 'missing';
      readonly real: string;
      readonly existing: Folder;
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
    throw mapFsError(error, rel);
  }
}

async function readLink(path: string, rel: string): Promise<string> {
  try {
    return await readlink(path);
  } catch (error) {
    throw mapFsError(error, rel);
  }
}

function tooManyLinks(rel: string) {
  return fsError('FS_INVALID_PATH', rel, { reason: 'too many levels of symbolic links' });
}

/**
 * Walk the canonical mount path `rel` from the root `scope` holds, one name at a time,
 * expanding every symlink the way the kernel would (relative and absolute targets, `..` in
 * targets, at most 40 links), and report where it leads. Doing the walk ourselves (rather than
 * `realpath`) gives a precise answer for paths that do not exist yet — including dangling
 * links, whose *target* decides whether a write would land outside the mount.
 *
 * Inside the root each folder is entered from its parent without following links (held open
 * where the scope pins folders), so the folder the result names is the one the walk checked,
 * even if a name on the way is swapped for a link afterwards. A `..` climbs back to the
 * folder the walk came from. A link whose target leaves the root (`..` above it, or an
 * absolute target elsewhere) is followed by path outside; if it comes back inside, the walk
 * restarts from the root with the real path found there.
 *
 * @throws `FS_PATH_ESCAPE` when the path (or the folder that would hold it) resolves outside
 *   the root; `FS_INVALID_PATH` for a symlink loop; `FS_BACKEND_FAILURE` when a name keeps
 *   changing while we look.
 */
export async function resolveInRoot(scope: FolderScope, rel: string): Promise<ResolvedPath> {
  const root = scope.root;
  const queue = rel === '' ? [] : rel.split('/');
  const stack: Folder[] = [root];
  const top = () => stack[stack.length - 1] as Folder;
  const unwind = async (keep: number) => {
    while (stack.length > keep) await scope.release(stack.pop() as Folder);
  };
  // Every result releases the folders of the walk but the root and the one it returns (the
  // caller goes on using that one), so a call holds two folders, not one per level.
  const done = async <R extends ResolvedPath>(result: R, keep?: Folder): Promise<R> => {
    for (const folder of stack.splice(1)) if (folder !== keep) await scope.release(folder);
    return result;
  };
  let links = 0;
  let relooks = 0;
  try {
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (name === '' || name === '.') continue;
      if (name === '..') {
        if (stack.length > 1) {
          await scope.release(stack.pop() as Folder);
          continue;
        }
        // Only a link target can climb above the root.
        const back = await outside(root.real, dirname(root.real), queue, links, rel);
        if (back.kind === 'blocked') return done(back);
        links = back.links;
        queue.splice(0, queue.length, ...back.names);
        continue;
      }
      const here = top();
      const more = queue.some((s) => s !== '');
      let stats: Stats | undefined;
      if (more) {
        const step = await scope.descend(here, name);
        if (step.kind === 'folder') {
          stack.push(step.folder);
          continue;
        }
        stats = step.stats;
        if (stats?.isDirectory()) {
          // Swapped between our two looks: look again, a bounded number of times.
          if (++relooks > MAX_RELOOKS)
            throw fsError('FS_BACKEND_FAILURE', rel, { reason: 'the path kept changing' });
          queue.unshift(name);
          continue;
        }
      } else {
        stats = await lstatOrUndefined(entryPath(here, name), rel);
      }
      if (stats === undefined) {
        if (queue.includes('..')) {
          // Only a link target can bring '..' here; below a missing folder the kernel would
          // stop with ENOENT, so this path can be neither read nor created.
          const real = resolve(here.real, name, ...queue);
          if (!isInside(root.real, real)) throw escape(rel);
          return done({ kind: 'blocked', real, reason: 'unreachable' });
        }
        const missing = [name, ...queue.filter((s) => s !== '' && s !== '.')];
        return done(
          { kind: 'missing', real: join(here.real, ...missing), existing: here, missing },
          here,
        );
      }
      if (stats.isSymbolicLink()) {
        if (++links > MAX_LINKS) throw tooManyLinks(rel);
        const target = await readLink(entryPath(here, name), rel);
        if (isAbsolute(target)) {
          await unwind(1);
          if (!isInside(root.real, target)) {
            const back = await outside(
              root.real,
              parse(target).root,
              [...target.split(sep), ...queue],
              links,
              rel,
            );
            if (back.kind === 'blocked') return done(back);
            links = back.links;
            queue.splice(0, queue.length, ...back.names);
            continue;
          }
          queue.unshift(...relative(root.real, target).split(sep));
          continue;
        }
        queue.unshift(...target.split(sep));
        continue;
      }
      if (more)
        return done({ kind: 'blocked', real: join(here.real, name), reason: 'file-in-the-way' });
      return done({ kind: 'found', real: join(here.real, name), stats, folder: here, name }, here);
    }
    // The path ended on a folder of the walk (the root, or after `..`/`.`): name it from its
    // parent, which is held like every other parent.
    const self = top();
    if (stack.length === 1) {
      const stats = await lstatOrUndefined(entryPath(self, '.'), rel);
      if (stats === undefined) throw fsError('FS_BACKEND_UNAVAILABLE', rel);
      return { kind: 'found', real: self.real, stats, folder: self, name: '.' };
    }
    await unwind(stack.length - 1);
    const parent = top();
    const name = basename(self.real);
    const stats = await lstatOrUndefined(entryPath(parent, name), rel);
    if (stats === undefined || stats.isSymbolicLink()) {
      // Gone or swapped since we entered it.
      throw fsError('FS_NOT_FOUND', rel);
    }
    return done({ kind: 'found', real: self.real, stats, folder: parent, name }, parent);
  } catch (error) {
    await unwind(1);
    throw error;
  }
}

function escape(rel: string) {
  return fsError('FS_PATH_ESCAPE', rel, {
    reason: 'a symbolic link on the way points outside the mount',
  });
}

/**
 * Follow a link's path outside the root, by name (nothing outside is ours to pin), and
 * report the real path inside the root it comes back to, as names to walk from the root.
 */
async function outside(
  root: string,
  start: string,
  queue: readonly string[],
  linksSoFar: number,
  rel: string,
): Promise<
  | { readonly kind: 'inside'; readonly names: string[]; readonly links: number }
  | Extract<ResolvedPath, { kind: 'blocked' }>
> {
  const pending = [...queue];
  let current = start;
  let links = linksSoFar;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      current = dirname(current);
      continue;
    }
    const candidate = join(current, name);
    const stats = await lstatOrUndefined(candidate, rel);
    if (stats === undefined) {
      if (pending.includes('..')) {
        const real = resolve(candidate, ...pending);
        if (!isInside(root, real)) throw escape(rel);
        return { kind: 'blocked', real, reason: 'unreachable' };
      }
      current = join(candidate, ...pending.filter((s) => s !== '' && s !== '.'));
      break;
    }
    if (stats.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw tooManyLinks(rel);
      const target = await readLink(candidate, rel);
      if (isAbsolute(target)) current = parse(target).root;
      pending.unshift(...target.split(sep));
      continue;
    }
    if (pending.some((s) => s !== '') && !stats.isDirectory()) {
      if (!isInside(root, candidate)) throw escape(rel);
      return { kind: 'blocked', real: candidate, reason: 'file-in-the-way' };
    }
    current = candidate;
    if (isInside(root, current)) {
      // Back inside: the rest is walked from the root again, pinned.
      pending.unshift(
        ...relative(root, current)
          .split(sep)
          .filter((s) => s !== ''),
      );
      return { kind: 'inside', names: pending, links };
    }
  }
  if (!isInside(root, current)) throw escape(rel);
  return {
    kind: 'inside',
    names: relative(root, current)
      .split(sep)
      .filter((s) => s !== ''),
    links,
  };
}
