import { close, constants, fstat, fsync, open, type Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fsError } from '@rillkit/core';
import { errnoOf } from './map-error.js';

const openFd = promisify(open);
const closeFd = promisify(close);
const fstatFd = promisify(fstat);
const fsyncFd = promisify(fsync);

// A folder is opened for reference only: never follow a link in its last name.
const FOLDER_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | (constants.O_NOFOLLOW ?? 0);

/**
 * A folder reached while walking a mount path. On Linux it is held open (`fd`) and every
 * entry below it is addressed as `/proc/self/fd/<fd>/<name>`: the kernel takes the folder the
 * descriptor holds, wherever it is now, and only `<name>` is looked up by name (see
 * docs/guide-local-fs.md, "Swapped folders"). Elsewhere `at` is the folder's real path.
 */
export interface Folder {
  /** The folder's real path when the walk reached it (lock keys, comparisons, cycles). */
  readonly real: string;
  /** The prefix that addresses entries of this folder in system calls. */
  readonly at: string;
  /** The open descriptor, when folders are pinned; `undefined` otherwise. */
  readonly fd: number | undefined;
}

/** The path that addresses the entry `name` (one segment, or `.`) of `folder`. */
export function entryPath(folder: Folder, name: string): string {
  return `${folder.at}/${name}`;
}

/** What a name in a folder turned out to be when we tried to enter it. */
export type Descent =
  | { readonly kind: 'folder'; readonly folder: Folder }
  /** Not a folder: `stats` is what is there (a link, a file, ...), `undefined` for nothing. */
  | { readonly kind: 'other'; readonly stats: Stats | undefined };

let forced: boolean | undefined;
let probe: Promise<boolean> | undefined;

/**
 * Whether `/proc/self/fd/<fd>/` leads to the folder a descriptor holds. Probed once, on the
 * first mount used: Linux with `/proc` mounted says yes; other systems, or a Linux without
 * `/proc`, fall back to checking paths by name.
 */
export function canPinFolders(sample: string): Promise<boolean> {
  if (forced !== undefined) return Promise.resolve(forced);
  probe ??= detect(sample);
  return probe;
}

/**
 * Force (`true`/`false`) or re-probe (`undefined`) folder pinning. For tests, which run the
 * same cases with and without it; not exported from the package.
 */
export function setFolderPinningForTests(value: boolean | undefined): void {
  forced = value;
  probe = undefined;
}

async function detect(sample: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  let fd: number | undefined;
  try {
    fd = await openFd(sample, FOLDER_FLAGS);
    const [held, viaProc] = await Promise.all([fstatFd(fd), stat(`/proc/self/fd/${fd}/.`)]);
    return held.dev === viaProc.dev && held.ino === viaProc.ino;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) await closeFd(fd).catch(() => undefined);
  }
}

/**
 * The folders one backend call has open. Every descriptor it hands out is closed by
 * `close()` at the latest, whatever happened; `release()` closes one early (walks of big
 * trees). The mount root is opened once per call, never kept between calls, so a root that
 * was removed or replaced is noticed by the next call.
 */
export class FolderScope {
  private readonly held = new Set<number>();

  private constructor(
    /** The mount root, as this call holds it. */
    readonly root: Folder,
    /** True when folders are held open (no window between check and use). */
    readonly isPinned: boolean,
  ) {
    if (root.fd !== undefined) this.held.add(root.fd);
  }

  /**
   * Open the mount root `real` for one call.
   * @throws `FS_BACKEND_UNAVAILABLE` (about `rel`) when it is no longer a folder.
   */
  static async enter(real: string, rel: string): Promise<FolderScope> {
    const gone = (cause?: unknown) =>
      fsError('FS_BACKEND_UNAVAILABLE', rel, {
        reason: 'the mount folder no longer exists',
        cause,
      });
    if (await canPinFolders(real)) {
      let fd: number;
      try {
        fd = await openFd(real, FOLDER_FLAGS);
      } catch (error) {
        const errno = errnoOf(error);
        if (errno === 'ENOENT' || errno === 'ENOTDIR' || errno === 'ELOOP') throw gone(error);
        throw error;
      }
      return new FolderScope({ real, at: `/proc/self/fd/${fd}`, fd }, true);
    }
    let stats: Stats | undefined;
    try {
      stats = await lstat(real);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw error;
    }
    if (stats === undefined || !stats.isDirectory()) throw gone();
    return new FolderScope({ real, at: real, fd: undefined }, false);
  }

  /**
   * Enter the folder `name` of `parent` if it is one — never through a symlink. Reports what
   * is there otherwise (nothing, a link, a file, ...).
   */
  async descend(parent: Folder, name: string): Promise<Descent> {
    const path = entryPath(parent, name);
    const real = join(parent.real, name);
    if (this.isPinned) {
      try {
        const fd = await openFd(path, FOLDER_FLAGS);
        this.held.add(fd);
        return { kind: 'folder', folder: { real, at: `/proc/self/fd/${fd}`, fd } };
      } catch (error) {
        const errno = errnoOf(error);
        if (errno === 'ENOENT') return { kind: 'other', stats: undefined };
        // A link or a file (O_NOFOLLOW with O_DIRECTORY says ENOTDIR for both): look.
        if (errno !== 'ENOTDIR' && errno !== 'ELOOP') throw error;
      }
    }
    let stats: Stats;
    try {
      stats = await lstat(path);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return { kind: 'other', stats: undefined };
      throw error;
    }
    if (stats.isDirectory() && !this.isPinned)
      return { kind: 'folder', folder: { real, at: real, fd: undefined } };
    // Pinned and now a folder: it changed between our two looks; the caller looks again.
    return { kind: 'other', stats };
  }

  /** Close a folder this scope opened (the root stays open until `close()`). */
  async release(folder: Folder): Promise<void> {
    if (folder.fd === undefined || folder.fd === this.root.fd || !this.held.delete(folder.fd))
      return;
    await closeFd(folder.fd).catch(() => undefined);
  }

  /** Make renames in `folder` durable (best effort: some file systems refuse a folder fsync). */
  async sync(folder: Folder): Promise<void> {
    let fd = folder.fd;
    const owned = fd === undefined;
    try {
      fd ??= await openFd(folder.at, constants.O_RDONLY);
      await fsyncFd(fd);
    } catch (error) {
      const errno = errnoOf(error);
      if (
        errno !== 'EINVAL' &&
        errno !== 'ENOTSUP' &&
        errno !== 'EISDIR' &&
        errno !== 'EBADF' &&
        errno !== 'EPERM'
      )
        throw error;
    } finally {
      if (owned && fd !== undefined) await closeFd(fd).catch(() => undefined);
    }
  }

  /** Close every descriptor still open. Call once, after every operation of the call settled. */
  async close(): Promise<void> {
    const fds = [...this.held];
    this.held.clear();
    await Promise.all(fds.map((fd) => closeFd(fd).catch(() => undefined)));
  }
}
