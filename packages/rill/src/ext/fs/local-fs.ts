import { randomBytes } from 'node:crypto';
import { constants, type Dirent, type Stats } from 'node:fs';
import {
  lstat,
  mkdir,
  open,
  readdir,
  rename,
  rm,
  rmdir,
  unlink,
  type FileHandle,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
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
import { isInside, resolveInRoot, type ResolvedPath } from './resolve-in-root.js';

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

type Writable = Extract<ResolvedPath, { kind: 'found' | 'missing' }>;

function isFileOrFolder(stats: Stats): boolean {
  return stats.isFile() || stats.isDirectory();
}

/** Whether a folder entry is one of our temp files (never a name a script could address). */
function isTempName(name: string): boolean {
  return name.startsWith(LOCAL_FS_TEMP_PREFIX);
}

async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

// Best effort: make a rename durable. Some file systems refuse fsync on a folder.
async function syncFolder(path: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_RDONLY);
    await handle.sync();
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
    await handle?.close().catch(() => undefined);
  }
}

/**
 * Read a whole regular file whose path contains no symlinks, refusing anything larger than
 * `maxBytes` before loading it.
 */
async function readBounded(real: string, maxBytes: number, rel: string): Promise<Buffer> {
  const handle = await open(real, READ_FLAGS);
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
 * (resolved once, at creation).
 *
 * - Every path is walked name by name with symlinks expanded (`resolveInRoot`); anything that
 *   resolves outside the root — for reads and writes alike, including write targets, their
 *   parents, `mkdir`, copy/move sources and targets, `remove`, `list`, `stat` — is refused
 *   with `FS_PATH_ESCAPE`. Links inside the mount are followed transparently: writing,
 *   removing or moving through a link acts on its target; a link itself is never created,
 *   replaced or removed. Links that escape (or dangle) are omitted from `list` and `find`.
 * - Writes (`write`, `append`, `copy`, and `move`'s fallback) go to a temp file in the target's
 *   folder (unique name, `O_EXCL`), are fsynced, re-checked and renamed over the target, and
 *   the folder is fsynced: readers see the old or the new file, never a partial one; a failed
 *   write leaves the old file and removes its temp file. An existing file's permission bits
 *   are kept.
 * - Concurrent writes to one file are serialised within this process; across processes the
 *   last rename wins (two processes appending to one file at the same moment can lose one
 *   append).
 * - Errors are mapped to coded fs errors; a raw errno never escapes.
 */
export class LocalFsBackend implements FsBackend {
  private readonly lock = new PathLock();

  /** @param root the real (symlink-free, absolute) path of the mount folder. */
  constructor(readonly root: string) {}

  private resolve(rel: string): Promise<ResolvedPath> {
    return resolveInRoot(this.root, rel);
  }

  /** Resolve a path that is about to be written as a file. */
  private async writable(rel: string): Promise<Writable> {
    const target = await this.resolve(rel);
    if (target.kind === 'blocked') {
      throw target.reason === 'file-in-the-way'
        ? fsError('FS_NOT_A_DIRECTORY', rel)
        : fsError('FS_NOT_FOUND', rel);
    }
    if (target.kind === 'found' && target.stats.isDirectory()) throw fsError('FS_NOT_A_FILE', rel);
    return target;
  }

  /** Resolve an existing regular file (a copy or move source). */
  private async existingFile(rel: string): Promise<Extract<ResolvedPath, { kind: 'found' }>> {
    const source = await this.resolve(rel);
    if (source.kind !== 'found' || !isFileOrFolder(source.stats))
      throw fsError('FS_NOT_FOUND', rel);
    if (source.stats.isDirectory()) throw fsError('FS_NOT_A_FILE', rel);
    return source;
  }

  /**
   * Create the missing folders on the way to `target`, one level at a time (never
   * `recursive`, which could recreate a vanished mount folder). Returns whether the last one
   * already existed (another writer raced us).
   */
  private async createFolders(
    rel: string,
    existingDir: string,
    names: readonly string[],
  ): Promise<boolean> {
    if (!isInside(this.root, existingDir)) throw fsError('FS_PATH_ESCAPE', rel);
    let current = existingDir;
    let existed = false;
    for (const name of names) {
      current = join(current, name);
      try {
        await mkdir(current);
        existed = false;
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw error;
        const stats = await lstat(current);
        if (!stats.isDirectory()) throw fsError('FS_NOT_A_DIRECTORY', rel);
        existed = true;
      }
    }
    return existed;
  }

  /** The folder that will hold the file `target`, created if missing. */
  private async parentFolder(rel: string, target: Writable): Promise<string> {
    if (target.kind === 'missing')
      await this.createFolders(rel, target.existingDir, target.missing.slice(0, -1));
    return dirname(target.real);
  }

  /**
   * Publish `data` as the file `real` atomically. Returns false (and leaves nothing behind)
   * when a re-check right before the rename finds the path now leads elsewhere.
   */
  private async publish(
    rel: string,
    real: string,
    data: Uint8Array,
    mode: number | undefined,
  ): Promise<boolean> {
    const folder = dirname(real);
    const temp = join(
      folder,
      `${LOCAL_FS_TEMP_PREFIX}${process.pid}-${randomBytes(8).toString('hex')}`,
    );
    let handle: FileHandle | undefined;
    let renamed = false;
    try {
      handle = await open(temp, TEMP_FLAGS, 0o666);
      if (mode !== undefined) await handle.chmod(mode & 0o7777);
      await handle.writeFile(data);
      await handle.sync();
      await handle.close();
      handle = undefined;
      // A folder on the way may have been swapped for a link while we wrote.
      const again = await this.resolve(rel);
      if (again.real !== real) return false;
      await rename(temp, real);
      renamed = true;
      await syncFolder(folder);
      return true;
    } finally {
      await handle?.close().catch(() => undefined);
      if (!renamed) await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /**
   * Replace the file at `rel` with what `produce` returns (given the current target), under
   * the per-path lock, retrying if the path changes under us.
   */
  private async replace(
    rel: string,
    produce: (target: Writable) => Promise<Uint8Array>,
  ): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const first = await this.writable(rel);
      const done = await this.lock.run([first.real], async () => {
        const target = await this.writable(rel);
        if (target.real !== first.real) return false;
        const data = await produce(target);
        await this.parentFolder(rel, target);
        const mode =
          target.kind === 'found' && target.stats.isFile() ? target.stats.mode : undefined;
        return this.publish(rel, target.real, data, mode);
      });
      if (done) return;
    }
    throw fsError('FS_BACKEND_FAILURE', rel, { reason: 'the path kept changing during the write' });
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    try {
      for (let attempt = 0; ; attempt++) {
        const target = await this.resolve(path);
        if (target.kind !== 'found' || !isFileOrFolder(target.stats))
          throw fsError('FS_NOT_FOUND', path);
        if (target.stats.isDirectory()) throw fsError('FS_NOT_A_FILE', path);
        try {
          return await readBounded(target.real, maxBytes, path);
        } catch (error) {
          // ELOOP under O_NOFOLLOW: the file became a link after we resolved it; look again.
          if (errnoOf(error) === 'ELOOP' && attempt < MAX_ATTEMPTS) continue;
          throw error;
        }
      }
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    try {
      await this.replace(path, async () => data);
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  async append(path: string, data: Uint8Array, maxBytes: number): Promise<void> {
    try {
      await this.replace(path, async (target) => {
        if (target.kind !== 'found' || !target.stats.isFile()) {
          if (data.length > maxBytes)
            throw fsError('FS_FILE_TOO_LARGE', path, {
              details: { size: data.length, maxFileSize: maxBytes },
            });
          return data;
        }
        const old = await readBounded(target.real, maxBytes, path);
        const size = old.length + data.length;
        if (size > maxBytes)
          throw fsError('FS_FILE_TOO_LARGE', path, { details: { size, maxFileSize: maxBytes } });
        return Buffer.concat([old, data]);
      });
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  private async describe(
    folderRel: string,
    folderReal: string,
    entry: Dirent,
  ): Promise<FsEntry | undefined> {
    const name = entry.name;
    if (isTempName(name)) return undefined;
    if (entry.isDirectory()) return { name, type: 'directory', size: 0 };
    if (entry.isFile()) {
      try {
        return { name, type: 'file', size: (await lstat(join(folderReal, name))).size };
      } catch (error) {
        if (errnoOf(error) === 'ENOENT') return undefined; // removed while listing
        throw error;
      }
    }
    if (!entry.isSymbolicLink()) return undefined;
    try {
      const target = await this.resolve(joinFsPath(folderRel, name));
      if (target.kind !== 'found') return undefined;
      if (target.stats.isDirectory()) return { name, type: 'directory', size: 0 };
      if (target.stats.isFile()) return { name, type: 'file', size: target.stats.size };
      return undefined;
    } catch (error) {
      // A link that leaves the mount (or loops) is not part of the mount: leave it out.
      if (
        RillError.is(error) &&
        (error.code === 'FS_PATH_ESCAPE' || error.code === 'FS_INVALID_PATH')
      )
        return undefined;
      throw error;
    }
  }

  async list(path: string): Promise<readonly FsEntry[]> {
    try {
      const folder = await this.resolve(path);
      if (folder.kind !== 'found' || !isFileOrFolder(folder.stats))
        throw fsError('FS_NOT_FOUND', path);
      if (!folder.stats.isDirectory()) throw fsError('FS_NOT_A_DIRECTORY', path);
      const entries = await readdir(folder.real, { withFileTypes: true });
      const described = await mapLimit(entries, LIST_CONCURRENCY, (e) =>
        this.describe(path, folder.real, e),
      );
      return described.filter((e): e is FsEntry => e !== undefined);
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  async walk(base: string): Promise<readonly string[]> {
    try {
      let start: ResolvedPath;
      try {
        start = await this.resolve(base);
      } catch (error) {
        // A base behind an escaping link holds nothing the mount can show.
        if (
          RillError.is(error) &&
          (error.code === 'FS_PATH_ESCAPE' || error.code === 'FS_INVALID_PATH')
        )
          return [];
        throw error;
      }
      if (start.kind !== 'found' || !start.stats.isDirectory()) return [];
      const out: string[] = [];
      await this.walkFolder(start.real, base, new Set([start.real]), out);
      return out;
    } catch (error) {
      throw mapFsError(error, base);
    }
  }

  private async walkFolder(
    real: string,
    rel: string,
    ancestors: ReadonlySet<string>,
    out: string[],
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(real, { withFileTypes: true });
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
        const childReal = join(real, entry.name);
        await this.walkFolder(childReal, childRel, new Set([...ancestors, childReal]), out);
      } else if (entry.isSymbolicLink()) {
        let target: ResolvedPath;
        try {
          target = await this.resolve(childRel);
        } catch (error) {
          if (
            RillError.is(error) &&
            (error.code === 'FS_PATH_ESCAPE' || error.code === 'FS_INVALID_PATH')
          )
            continue;
          throw error;
        }
        if (target.kind !== 'found') continue;
        if (target.stats.isFile()) out.push(childRel);
        // Following a link back up the tree would never end; each folder once per branch.
        else if (target.stats.isDirectory() && !ancestors.has(target.real)) {
          await this.walkFolder(target.real, childRel, new Set([...ancestors, target.real]), out);
        }
      }
    }
  }

  async stat(path: string): Promise<FsBackendStat | undefined> {
    try {
      const target = await this.resolve(path);
      if (target.kind !== 'found') return undefined;
      const s = target.stats;
      // The Date fields round to the millisecond the way Node reports them elsewhere.
      const created = s.birthtimeMs > 0 ? s.birthtime.getTime() : undefined;
      if (s.isFile()) return { type: 'file', size: s.size, modified: s.mtime.getTime(), created };
      if (s.isDirectory())
        return { type: 'directory', size: 0, modified: s.mtime.getTime(), created };
      return undefined;
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  async remove(path: string): Promise<boolean> {
    try {
      const target = await this.resolve(path);
      if (target.kind !== 'found' || !isFileOrFolder(target.stats)) return false;
      if (target.real === this.root)
        throw fsError('FS_INVALID_PATH', path, { reason: 'the mount root cannot be removed' });
      return await this.lock.run([target.real], async () => {
        try {
          if (target.stats.isDirectory()) await rmdir(target.real);
          else await unlink(target.real);
        } catch (error) {
          const errno = errnoOf(error);
          if (errno === 'ENOENT') return false;
          if (errno === 'ENOTEMPTY' || (errno === 'EEXIST' && target.stats.isDirectory()))
            throw fsError('FS_NOT_EMPTY', path);
          throw error;
        }
        await syncFolder(dirname(target.real));
        return true;
      });
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  async mkdir(path: string): Promise<boolean> {
    try {
      const target = await this.resolve(path);
      if (target.kind === 'found') {
        if (target.stats.isDirectory()) return false;
        throw fsError('FS_NOT_A_DIRECTORY', path);
      }
      if (target.kind === 'blocked') {
        throw target.reason === 'file-in-the-way'
          ? fsError('FS_NOT_A_DIRECTORY', path)
          : fsError('FS_NOT_FOUND', path);
      }
      const existed = await this.createFolders(path, target.existingDir, target.missing);
      return !existed;
    } catch (error) {
      throw mapFsError(error, path);
    }
  }

  async copy(from: string, to: string, maxBytes: number): Promise<void> {
    try {
      const source = await this.existingFile(from);
      if (source.stats.size > maxBytes) {
        throw fsError('FS_FILE_TOO_LARGE', from, {
          details: { size: source.stats.size, maxFileSize: maxBytes },
        });
      }
    } catch (error) {
      throw mapFsError(error, from);
    }
    try {
      await this.replace(to, async () => {
        try {
          const source = await this.existingFile(from);
          return await readBounded(source.real, maxBytes, from);
        } catch (error) {
          throw mapFsError(error, from);
        }
      });
    } catch (error) {
      throw mapFsError(error, to);
    }
  }

  async move(from: string, to: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      let source: Extract<ResolvedPath, { kind: 'found' }>;
      let target: Writable;
      try {
        source = await this.existingFile(from);
      } catch (error) {
        throw mapFsError(error, from);
      }
      try {
        target = await this.writable(to);
      } catch (error) {
        throw mapFsError(error, to);
      }
      if (target.real === source.real) return;
      const done = await this.lock.run([source.real, target.real], () =>
        this.moveLocked(from, to, source, target),
      );
      if (done) return;
    }
    throw fsError('FS_BACKEND_FAILURE', to, { reason: 'the path kept changing during the move' });
  }

  private async moveLocked(
    from: string,
    to: string,
    source: ResolvedPath,
    target: Writable,
  ): Promise<boolean> {
    try {
      await this.parentFolder(to, target);
    } catch (error) {
      throw mapFsError(error, to);
    }
    // Re-check both ends right before the rename: either may have been swapped for a link.
    const [sourceNow, targetNow] = await Promise.all([
      this.existingFile(from).catch((error: unknown) => Promise.reject(mapFsError(error, from))),
      this.writable(to).catch((error: unknown) => Promise.reject(mapFsError(error, to))),
    ]);
    if (sourceNow.real !== source.real || targetNow.real !== target.real) return false;
    try {
      await rename(source.real, target.real);
    } catch (error) {
      if (errnoOf(error) !== 'EXDEV') throw mapFsError(error, to);
      // Another device inside the mount (a bind mount): copy, publish, then drop the source.
      const data = await readBounded(source.real, Number.MAX_SAFE_INTEGER, from).catch(
        (e: unknown) => Promise.reject(mapFsError(e, from)),
      );
      const mode = sourceNow.stats.mode;
      if (
        !(await this.publish(to, target.real, data, mode).catch((e: unknown) =>
          Promise.reject(mapFsError(e, to)),
        ))
      )
        return false;
      await unlink(source.real).catch((e: unknown) => Promise.reject(mapFsError(e, from)));
    }
    try {
      await syncFolder(dirname(target.real));
      if (dirname(source.real) !== dirname(target.real)) await syncFolder(dirname(source.real));
    } catch (error) {
      throw mapFsError(error, to);
    }
    return true;
  }

  async close(): Promise<void> {
    // Nothing is held open between calls.
  }
}
