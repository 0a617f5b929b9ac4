import { randomBytes } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  rmdir,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import {
  fsError,
  joinFsPath,
  RillError,
  type FsBackend,
  type FsBackendStat,
  type FsEntry,
} from '@rillkit/core';
import { errnoOf, mapFsError } from './map-error.js';
import { PathLock } from './path-lock.js';
import { entryPath, FolderScope, type Folder } from './folder-scope.js';
import { resolveInRoot, type ResolvedPath } from './resolve-in-root.js';

/**
 * Start of the names of in-progress (or, after a crash, abandoned) atomic-write temp files.
 * They live beside their target and are hidden from `list`/`find`, so no reader ever sees a
 * partial file. The DEL character (U+007F) in it is a control character core's path rules
 * refuse (`FS_INVALID_PATH`), so no script can create, read or remove such a name: hiding
 * them never hides a file a script wrote. DEL, unlike C0 controls, is a legal file-name
 * character on Linux, macOS and Windows alike.
 */
export const LOCAL_FS_TEMP_PREFIX = '.rilltmp\u007f';

// O_NOFOLLOW: if the last name became a symlink after we resolved it, fail instead of
// following it. O_NONBLOCK: opening a FIFO must not hang the script.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
const TEMP_FLAGS =
  constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
// A path that keeps changing between our checks is retried a few times, then reported.
const MAX_ATTEMPTS = 5;
// Bounded fan-out for per-entry lstat calls in big folders.
const LIST_CONCURRENCY = 32;

type Found = Extract<ResolvedPath, { kind: 'found' }>;
type Writable = Extract<ResolvedPath, { kind: 'found' | 'missing' }>;
/** Where a file is about to be published: the entry `name` of `folder`. */
interface Place {
  readonly folder: Folder;
  readonly name: string;
}

function isFileOrFolder(stats: Stats): boolean {
  return stats.isFile() || stats.isDirectory();
}

/** Whether a folder entry is one of our temp files (never a name a script could address). */
function isTempName(name: string): boolean {
  return name.startsWith(LOCAL_FS_TEMP_PREFIX);
}

function isLeftOut(error: unknown): boolean {
  return (
    RillError.is(error) && (error.code === 'FS_PATH_ESCAPE' || error.code === 'FS_INVALID_PATH')
  );
}

/**
 * `fn` over `items`, at most `limit` at a time. Every started call settles before this
 * returns (or rethrows the first failure): a call must not outlive the folders it uses.
 */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  const settled = await Promise.allSettled(workers);
  for (const s of settled) if (s.status === 'rejected') throw s.reason;
  return out;
}

/** Settle both, then return both or rethrow the first failure (see `mapLimit`). */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * Read the whole regular file `name` of `folder` (not through a link), refusing anything
 * larger than `maxBytes` before loading it.
 */
async function readBounded(at: Place, maxBytes: number, rel: string): Promise<Buffer> {
  const handle = await open(entryPath(at.folder, at.name), READ_FLAGS);
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) throw fsError('FS_NOT_A_FILE', rel);
    if (!stats.isFile()) throw fsError('FS_NOT_FOUND', rel);
    const tooLarge = (size: number) =>
      fsError('FS_FILE_TOO_LARGE', rel, { details: { size, maxFileSize: maxBytes } });
    if (stats.size > maxBytes) throw tooLarge(stats.size);
    const data = await handle.readFile();
    if (data.length > maxBytes) throw tooLarge(data.length);
    return data;
  } finally {
    await handle.close();
  }
}

/**
 * The local-disk fs backend: one instance per mount, rooted at the mount folder's real path
 * (resolved once, at creation). docs/guide-local-fs.md is the reference for what follows.
 *
 * - Every path is walked name by name with symlinks expanded (`resolveInRoot`); anything that
 *   resolves outside the root — for reads and writes alike, including write targets, their
 *   parents, `mkdir`, copy/move sources and targets, `remove`, `list`, `stat` — is refused
 *   with `FS_PATH_ESCAPE`. Links inside the mount are followed transparently: writing,
 *   removing or moving through a link acts on its target; a link itself is never created,
 *   replaced or removed. Links that escape (or dangle) are omitted from `list` and `find`.
 * - On Linux (with `/proc`) every folder on the way is held open while the call works below
 *   it, and the final open, create, rename, unlink, `mkdir` or `lstat` names one entry of a
 *   held folder, so swapping a folder for a link mid-call cannot redirect it outside the
 *   mount. Elsewhere the path is checked by name, re-checked before every rename, and a race
 *   window remains (see the guide).
 * - Writes (`write`, `append`, `copy`, and `move`'s fallback) go to a temp file in the target's
 *   folder (unique name, `O_EXCL`), are fsynced and renamed over the target, and the folder is
 *   fsynced: readers see the old or the new file, never a partial one; a failed write leaves
 *   the old file and removes its temp file. An existing file's permission bits are kept.
 * - Concurrent writes to one file are serialised within this process; across processes the
 *   last rename wins (two processes appending to one file at the same moment can lose one
 *   append).
 * - Errors are mapped to coded fs errors; a raw errno never escapes.
 */
export class LocalFsBackend implements FsBackend {
  private readonly lock = new PathLock();

  /** @param root the real (symlink-free, absolute) path of the mount folder. */
  constructor(readonly root: string) {}

  /**
   * Run one backend call with the mount root open; every folder the call opened is closed
   * when it settles. Uncoded errors are mapped about `rel`.
   */
  private async scoped<T>(rel: string, task: (scope: FolderScope) => Promise<T>): Promise<T> {
    let scope: FolderScope | undefined;
    try {
      scope = await FolderScope.enter(this.root, rel);
      return await task(scope);
    } catch (error) {
      throw mapFsError(error, rel);
    } finally {
      await scope?.close();
    }
  }

  /** Resolve a path that is about to be written as a file. */
  private async writable(scope: FolderScope, rel: string): Promise<Writable> {
    const target = await resolveInRoot(scope, rel);
    if (target.kind === 'blocked') {
      throw target.reason === 'file-in-the-way'
        ? fsError('FS_NOT_A_DIRECTORY', rel)
        : fsError('FS_NOT_FOUND', rel);
    }
    if (target.kind === 'found' && target.stats.isDirectory()) throw fsError('FS_NOT_A_FILE', rel);
    return target;
  }

  /** Resolve an existing regular file (a read, copy or move source). */
  private async existingFile(scope: FolderScope, rel: string): Promise<Found> {
    const source = await resolveInRoot(scope, rel);
    if (source.kind !== 'found' || !isFileOrFolder(source.stats))
      throw fsError('FS_NOT_FOUND', rel);
    if (source.stats.isDirectory()) throw fsError('FS_NOT_A_FILE', rel);
    return source;
  }

  /** Open the folder a resolution found (the mount root is already open). */
  private async openFound(scope: FolderScope, target: Found, rel: string): Promise<Folder> {
    if (target.name === '.') return target.folder;
    const step = await scope.descend(target.folder, target.name);
    // Replaced by something else since the walk: report what a walk now would.
    if (step.kind !== 'folder')
      throw fsError(step.stats === undefined ? 'FS_NOT_FOUND' : 'FS_NOT_A_DIRECTORY', rel);
    return step.folder;
  }

  /**
   * Create the missing folders `names` below `existing`, one level at a time (never
   * `recursive`, which could recreate a vanished mount folder), entering each without
   * following links. Returns the last one, and whether it already existed (another writer
   * raced us).
   */
  private async createFolders(
    scope: FolderScope,
    rel: string,
    existing: Folder,
    names: readonly string[],
  ): Promise<{ folder: Folder; existed: boolean }> {
    let current = existing;
    let existed = false;
    for (const name of names) {
      try {
        await mkdir(entryPath(current, name));
        existed = false;
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw error;
        existed = true;
      }
      const step = await scope.descend(current, name);
      if (step.kind !== 'folder') throw fsError('FS_NOT_A_DIRECTORY', rel);
      if (current !== existing) await scope.release(current);
      current = step.folder;
    }
    return { folder: current, existed };
  }

  /** Where the file `target` goes: its folder (created if missing) and its name. */
  private async placeOf(scope: FolderScope, rel: string, target: Writable): Promise<Place> {
    if (target.kind === 'found') return target;
    const made = await this.createFolders(scope, rel, target.existing, target.missing.slice(0, -1));
    return { folder: made.folder, name: target.missing[target.missing.length - 1] as string };
  }

  /**
   * Publish `data` as the file at `place` atomically. Returns false (and leaves nothing
   * behind) when, with unpinned folders, a re-check right before the rename finds that `rel`
   * now leads somewhere other than `real`.
   */
  private async publish(
    scope: FolderScope,
    rel: string,
    real: string,
    place: Place,
    data: Uint8Array,
    mode: number | undefined,
  ): Promise<boolean> {
    const temp = entryPath(
      place.folder,
      `${LOCAL_FS_TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`,
    );
    let handle: FileHandle | undefined;
    let created = false;
    let renamed = false;
    try {
      handle = await open(temp, TEMP_FLAGS, 0o666);
      created = true;
      if (mode !== undefined) await handle.chmod(mode & 0o7777);
      await handle.writeFile(data);
      await handle.sync();
      await handle.close();
      handle = undefined;
      if (!scope.isPinned) {
        // A folder on the way may have been swapped for a link while we wrote.
        const again = await resolveInRoot(scope, rel);
        if (again.real !== real) return false;
      }
      await rename(temp, entryPath(place.folder, place.name));
      renamed = true;
      await scope.sync(place.folder);
      return true;
    } finally {
      await handle?.close().catch(() => undefined);
      if (created && !renamed) await unlink(temp).catch(() => undefined);
    }
  }

  /**
   * Replace the file at `rel` with what `produce` returns (given the current target), under
   * the per-path lock, retrying if the path changes under us.
   */
  private async replace(
    scope: FolderScope,
    rel: string,
    produce: (target: Writable) => Promise<Uint8Array>,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const first = await this.writable(scope, rel);
      const done = await this.lock.run([first.real], async (waited) => {
        // Another task of ours held the path: it may have changed it; look again.
        const target = waited ? await this.writable(scope, rel) : first;
        if (target.real !== first.real) return false;
        const data = await produce(target);
        const place = await this.placeOf(scope, rel, target);
        const mode =
          target.kind === 'found' && target.stats.isFile() ? target.stats.mode : undefined;
        return this.publish(scope, rel, target.real, place, data, mode);
      });
      if (done) return;
    }
    throw fsError('FS_BACKEND_FAILURE', rel, { reason: 'the path kept changing during the write' });
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    return this.scoped(path, async (scope) => {
      for (let attempt = 0; ; attempt++) {
        const target = await this.existingFile(scope, path);
        try {
          return await readBounded(target, maxBytes, path);
        } catch (error) {
          // ELOOP under O_NOFOLLOW: the file became a link after we resolved it; look again.
          if (errnoOf(error) === 'ELOOP' && attempt < MAX_ATTEMPTS) continue;
          throw error;
        }
      }
    });
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    await this.scoped(path, (scope) => this.replace(scope, path, async () => data));
  }

  async append(path: string, data: Uint8Array, maxBytes: number): Promise<void> {
    await this.scoped(path, (scope) =>
      this.replace(scope, path, async (target) => {
        if (target.kind !== 'found' || !target.stats.isFile()) {
          if (data.length > maxBytes)
            throw fsError('FS_FILE_TOO_LARGE', path, {
              details: { size: data.length, maxFileSize: maxBytes },
            });
          return data;
        }
        const old = await readBounded(target, maxBytes, path);
        const size = old.length + data.length;
        if (size > maxBytes)
          throw fsError('FS_FILE_TOO_LARGE', path, { details: { size, maxFileSize: maxBytes } });
        return Buffer.concat([old, data]);
      }),
    );
  }

  private async describe(
    scope: FolderScope,
    folderRel: string,
    folder: Folder,
    entry: Dirent,
  ): Promise<FsEntry | undefined> {
    const name = entry.name;
    if (isTempName(name)) return undefined;
    if (entry.isDirectory()) return { name, type: 'directory', size: 0 };
    if (entry.isFile()) {
      try {
        return { name, type: 'file', size: (await lstat(entryPath(folder, name))).size };
      } catch (error) {
        if (errnoOf(error) === 'ENOENT') return undefined; // removed while listing
        throw error;
      }
    }
    if (!entry.isSymbolicLink()) return undefined;
    try {
      const target = await resolveInRoot(scope, joinFsPath(folderRel, name));
      if (target.kind !== 'found') return undefined;
      if (target.stats.isDirectory()) return { name, type: 'directory', size: 0 };
      if (target.stats.isFile()) return { name, type: 'file', size: target.stats.size };
      return undefined;
    } catch (error) {
      // A link that leaves the mount (or loops) is not part of the mount: leave it out.
      if (isLeftOut(error)) return undefined;
      throw error;
    }
  }

  async list(path: string): Promise<readonly FsEntry[]> {
    return this.scoped(path, async (scope) => {
      const target = await resolveInRoot(scope, path);
      if (target.kind !== 'found' || !isFileOrFolder(target.stats))
        throw fsError('FS_NOT_FOUND', path);
      if (!target.stats.isDirectory()) throw fsError('FS_NOT_A_DIRECTORY', path);
      const folder = await this.openFound(scope, target, path);
      const entries = await readdir(folder.at, { withFileTypes: true });
      const described = await mapLimit(entries, LIST_CONCURRENCY, (e) =>
        this.describe(scope, path, folder, e),
      );
      return described.filter((e): e is FsEntry => e !== undefined);
    });
  }

  async walk(base: string): Promise<readonly string[]> {
    return this.scoped(base, async (scope) => {
      let start: ResolvedPath;
      try {
        start = await resolveInRoot(scope, base);
      } catch (error) {
        // A base behind an escaping link holds nothing the mount can show.
        if (isLeftOut(error)) return [];
        throw error;
      }
      if (start.kind !== 'found' || !start.stats.isDirectory()) return [];
      let folder: Folder;
      try {
        folder = await this.openFound(scope, start, base);
      } catch (error) {
        if (RillError.is(error)) return []; // replaced since the walk
        throw error;
      }
      const out: string[] = [];
      await this.walkFolder(scope, folder, base, new Set([folder.real]), out);
      return out;
    });
  }

  private async walkFolder(
    scope: FolderScope,
    folder: Folder,
    rel: string,
    ancestors: ReadonlySet<string>,
    out: string[],
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder.at, { withFileTypes: true });
    } catch (error) {
      const errno = errnoOf(error);
      if (errno === 'ENOENT' || errno === 'ENOTDIR') return; // removed while walking
      throw error;
    }
    for (const entry of entries) {
      if (isTempName(entry.name)) continue;
      const childRel = joinFsPath(rel, entry.name);
      if (entry.isFile()) {
        out.push(childRel);
      } else if (entry.isDirectory()) {
        const step = await scope.descend(folder, entry.name);
        if (step.kind !== 'folder') continue; // replaced while walking
        try {
          const child = step.folder;
          await this.walkFolder(scope, child, childRel, new Set([...ancestors, child.real]), out);
        } finally {
          await scope.release(step.folder);
        }
      } else if (entry.isSymbolicLink()) {
        let target: ResolvedPath;
        try {
          target = await resolveInRoot(scope, childRel);
        } catch (error) {
          if (isLeftOut(error)) continue;
          throw error;
        }
        if (target.kind !== 'found') continue;
        if (target.stats.isFile()) out.push(childRel);
        // Following a link back up the tree would never end; each folder once per branch.
        else if (target.stats.isDirectory() && !ancestors.has(target.real)) {
          let child: Folder;
          try {
            child = await this.openFound(scope, target, childRel);
          } catch (error) {
            if (RillError.is(error)) continue; // replaced while walking
            throw error;
          }
          try {
            await this.walkFolder(scope, child, childRel, new Set([...ancestors, child.real]), out);
          } finally {
            if (child !== target.folder) await scope.release(child);
          }
        }
      }
    }
  }

  async stat(path: string): Promise<FsBackendStat | undefined> {
    return this.scoped(path, async (scope) => {
      const target = await resolveInRoot(scope, path);
      if (target.kind !== 'found') return undefined;
      const s = target.stats;
      // The Date fields round to the millisecond the way Node reports them elsewhere.
      const created = s.birthtimeMs > 0 ? s.birthtime.getTime() : undefined;
      if (s.isFile()) return { type: 'file', size: s.size, modified: s.mtime.getTime(), created };
      if (s.isDirectory())
        return { type: 'directory', size: 0, modified: s.mtime.getTime(), created };
      return undefined;
    });
  }

  async remove(path: string): Promise<boolean> {
    return this.scoped(path, async (scope) => {
      const first = await resolveInRoot(scope, path);
      if (first.kind !== 'found' || !isFileOrFolder(first.stats)) return false;
      if (first.real === this.root)
        throw fsError('FS_INVALID_PATH', path, { reason: 'the mount root cannot be removed' });
      return this.lock.run([first.real], async (waited) => {
        const target = waited ? await resolveInRoot(scope, path) : first;
        if (target.kind !== 'found' || !isFileOrFolder(target.stats)) return false;
        if (target.real === this.root || target.name === '.')
          throw fsError('FS_INVALID_PATH', path, { reason: 'the mount root cannot be removed' });
        const entry = entryPath(target.folder, target.name);
        try {
          if (target.stats.isDirectory()) await rmdir(entry);
          else await unlink(entry);
        } catch (error) {
          const errno = errnoOf(error);
          if (errno === 'ENOENT') return false;
          if (errno === 'ENOTEMPTY' || (errno === 'EEXIST' && target.stats.isDirectory()))
            throw fsError('FS_NOT_EMPTY', path);
          throw error;
        }
        await scope.sync(target.folder);
        return true;
      });
    });
  }

  async mkdir(path: string): Promise<boolean> {
    return this.scoped(path, async (scope) => {
      const target = await resolveInRoot(scope, path);
      if (target.kind === 'found') {
        if (target.stats.isDirectory()) return false;
        throw fsError('FS_NOT_A_DIRECTORY', path);
      }
      if (target.kind === 'blocked') {
        throw target.reason === 'file-in-the-way'
          ? fsError('FS_NOT_A_DIRECTORY', path)
          : fsError('FS_NOT_FOUND', path);
      }
      const made = await this.createFolders(scope, path, target.existing, target.missing);
      return !made.existed;
    });
  }

  async copy(from: string, to: string, maxBytes: number): Promise<void> {
    // Errors about the source name `from`, about the target `to`.
    const source = (scope: FolderScope) =>
      this.existingFile(scope, from).catch((e: unknown) => Promise.reject(mapFsError(e, from)));
    await this.scoped(to, async (scope) => {
      const first = await source(scope);
      if (first.stats.size > maxBytes) {
        throw fsError('FS_FILE_TOO_LARGE', from, {
          details: { size: first.stats.size, maxFileSize: maxBytes },
        });
      }
      await this.replace(scope, to, async () => {
        try {
          return await readBounded(await source(scope), maxBytes, from);
        } catch (error) {
          throw mapFsError(error, from);
        }
      });
    });
  }

  async move(from: string, to: string): Promise<void> {
    const source = (scope: FolderScope) =>
      this.existingFile(scope, from).catch((e: unknown) => Promise.reject(mapFsError(e, from)));
    await this.scoped(to, async (scope) => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const from0 = await source(scope);
        const to0 = await this.writable(scope, to);
        if (to0.real === from0.real) return;
        const done = await this.lock.run([from0.real, to0.real], (waited) =>
          this.moveLocked(scope, from, to, from0, to0, waited),
        );
        if (done) return;
      }
      throw fsError('FS_BACKEND_FAILURE', to, { reason: 'the path kept changing during the move' });
    });
  }

  private async moveLocked(
    scope: FolderScope,
    from: string,
    to: string,
    first: Found,
    firstTarget: Writable,
    waited: boolean,
  ): Promise<boolean> {
    let source = first;
    let target = firstTarget;
    let place = await this.placeOf(scope, to, target);
    if (waited || !scope.isPinned) {
      // Another task of ours held a path, or folders are checked by name: look at both ends
      // again right before the rename.
      const [sourceNow, targetNow] = await both(
        this.existingFile(scope, from).catch((e: unknown) => Promise.reject(mapFsError(e, from))),
        this.writable(scope, to),
      );
      if (sourceNow.real !== source.real || targetNow.real !== target.real) return false;
      source = sourceNow;
      target = targetNow;
      if (target.kind === 'found') place = target;
      else if (target.missing.length === 1)
        place = { folder: target.existing, name: target.missing[0] as string };
      else return false;
    }
    try {
      await rename(entryPath(source.folder, source.name), entryPath(place.folder, place.name));
    } catch (error) {
      if (errnoOf(error) !== 'EXDEV') throw error;
      // Another device inside the mount (a bind mount): copy, publish, then drop the source.
      const data = await readBounded(source, Number.MAX_SAFE_INTEGER, from).catch((e: unknown) =>
        Promise.reject(mapFsError(e, from)),
      );
      if (!(await this.publish(scope, to, target.real, place, data, source.stats.mode)))
        return false;
      await unlink(entryPath(source.folder, source.name)).catch((e: unknown) =>
        Promise.reject(mapFsError(e, from)),
      );
    }
    await scope.sync(place.folder);
    if (source.folder.real !== place.folder.real) await scope.sync(source.folder);
    return true;
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}
