import {
  type BigIntStats,
  closeSync,
  existsSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  type KvBackend,
  type KvBackendCapabilities,
  type KvLimits,
  type KvRecord,
  type KvUpdate,
  type KvWritePolicy,
  kvError,
} from '@rillkit/core';
import { writeFileAtomic } from './atomic-write.js';
import { acquireFileLock } from './file-lock.js';
import {
  KV_FILE_HEAD_BYTES,
  type KvFileContents,
  parseKvFile,
  readRevisionHint,
  serializeKvFile,
} from './json-kv-file.js';
import { KvTable } from './kv-table.js';

/** What the JSON backend needs for one mount. */
export interface JsonKvBackendOptions {
  /** Absolute path of the store file (its folder must exist unless `createFolders`). */
  readonly file: string;
  /** `'immediate'`: every write is durable before it resolves; `'dispose'`: buffered until `flush()`. */
  readonly writePolicy: KvWritePolicy;
  /** The extension clock (ms since the epoch). */
  readonly now: () => number;
  /**
   * Create the file's folder (with missing parents) before each write to disk when it is
   * missing. Reads never create it, and neither do writes that change nothing: a missing
   * folder reads as an empty store. Default `false`: a write to a missing folder fails.
   */
  readonly createFolders?: boolean;
}

/** What identifies one version of the store file without reading it all. */
interface FileIdentity {
  readonly dev: bigint;
  readonly ino: bigint;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  /** The revision its head announces; `undefined` (never equal) when unreadable. */
  readonly revision: number | undefined;
}

interface PendingWrite {
  op(table: KvTable): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * The JSON file kv backend: one file per mount (format: see `json-kv-file.ts`), cached in
 * memory as a {@link KvTable}.
 *
 * Consistency and durability:
 * - Reads are lock-free. Before serving one, the backend opens the file and compares its
 *   identity — device, inode, size, mtime and ctime in nanoseconds, plus the revision in
 *   its first bytes — with the version it has cached, and re-reads the file only when they
 *   differ. A read therefore sees every write any process completed before the read began.
 *   Writers replace the file by atomic rename, so a reader never sees a partial file.
 * - `'immediate'` writes are queued; one batch at a time takes the cross-process file lock
 *   (`<file>.lock`, proper-lockfile), reloads the file if another process changed it,
 *   applies every queued write in order on a copy, writes the file once (temp file, fsync,
 *   rename, folder fsync) and releases the lock. Writes that arrive while a batch is being
 *   written form the next batch, so N concurrent writes cost far fewer than N file writes.
 *   A write resolves only after its batch is on disk; if the file write fails, every write
 *   of the batch rejects and the cache keeps the state on disk.
 * - `'dispose'` writes apply to the cache at once and are remembered per key; `flush()`
 *   (called by `dispose()`) takes the lock, reloads the latest file, lays the remembered
 *   keys over it and writes once. Other processes' changes to other keys survive; for a key
 *   both changed, the last flush wins. Reads see the latest file with this process's
 *   unflushed keys on top.
 * - A corrupt file fails every operation with `KV_CORRUPT_STORE` and is never written;
 *   once it is repaired (its identity changes) it is read again.
 */
export class JsonKvBackend implements KvBackend {
  readonly name = 'json';
  readonly capabilities: KvBackendCapabilities = Object.freeze({
    writePolicies: Object.freeze(['immediate', 'dispose'] as const),
    crossProcess: true,
    persistent: true,
  });

  private readonly file: string;
  private readonly writePolicy: KvWritePolicy;
  private readonly now: () => number;
  private readonly createFolders: boolean;
  private table: KvTable;
  /** The file version `table` reflects: `null` = no file, `undefined` = unknown (reload). */
  private known: FileIdentity | null | undefined;
  private revision = 0;
  /** `'dispose'` policy: keys changed since the last flush, with their record (`null` = removed). */
  private readonly dirty = new Map<string, KvRecord | null>();
  private queue: PendingWrite[] = [];
  private draining: Promise<void> | undefined;
  private flushing: Promise<void> | undefined;

  constructor(options: JsonKvBackendOptions) {
    this.file = options.file;
    this.writePolicy = options.writePolicy;
    this.now = options.now;
    this.createFolders = options.createFolders ?? false;
    this.table = new KvTable(this.now, true);
  }

  async get(key: string): Promise<KvRecord | undefined> {
    this.refresh();
    return this.table.get(key);
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KvRecord>> {
    this.refresh();
    return this.table.getMany(keys);
  }

  async list(prefix: string): Promise<readonly (readonly [string, KvRecord])[]> {
    this.refresh();
    return this.table.list(prefix);
  }

  set(key: string, record: KvRecord, limits: KvLimits): Promise<void> {
    return this.write((t) => t.set(key, record, limits));
  }

  setMany(entries: readonly (readonly [string, KvRecord])[], limits: KvLimits): Promise<void> {
    return this.write((t) => t.setMany(entries, limits));
  }

  delete(key: string): Promise<boolean> {
    return this.write((t) => t.delete(key));
  }

  deleteMany(keys: readonly string[]): Promise<number> {
    return this.write((t) => t.deleteMany(keys));
  }

  clear(prefix: string): Promise<number> {
    return this.write((t) => t.clear(prefix));
  }

  update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T> {
    return this.write((t) => t.update(key, fn, limits));
  }

  async flush(): Promise<void> {
    if (this.writePolicy === 'immediate') {
      while (this.draining !== undefined) await this.draining;
      return;
    }
    // One flush at a time; a flush asked for during another one runs after it.
    while (this.flushing !== undefined) await this.flushing.catch(() => undefined);
    if (this.dirty.size === 0) return;
    this.flushing = this.flushDirty();
    try {
      await this.flushing;
    } finally {
      this.flushing = undefined;
    }
  }

  async close(): Promise<void> {
    this.known = undefined;
  }

  private async write<T>(op: (table: KvTable) => T): Promise<T> {
    if (this.writePolicy === 'dispose') {
      this.refresh();
      const result = op(this.table);
      for (const key of this.table.touched) this.dirty.set(key, this.table.peek(key) ?? null);
      this.table.touched.clear();
      return result;
    }
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject });
      this.draining ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0));
    } finally {
      this.draining = undefined;
    }
  }

  private async commit(batch: readonly PendingWrite[]): Promise<void> {
    // With createFolders and no folder yet, the store is empty. A batch that changes
    // nothing there (a delete of a missing key, a write over a limit) is answered without
    // creating the folder, just as a batch that changes nothing writes nothing.
    if (this.createFolders && !existsSync(dirname(this.file))) {
      try {
        this.refresh();
        const dry = this.table.clone();
        const outcomes = applyBatch(dry, batch);
        if (dry.touched.size === 0) {
          settleBatch(batch, outcomes);
          return;
        }
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        return;
      }
    }
    let release;
    try {
      if (this.createFolders) await this.createFolder();
      release = await acquireFileLock(this.file, () => this.lockLost());
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    try {
      this.refresh();
      const working = this.table.clone();
      const outcomes = applyBatch(working, batch);
      if (working.touched.size > 0) await this.persist(working);
      settleBatch(batch, outcomes);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      await release().catch(() => undefined);
    }
  }

  private async flushDirty(): Promise<void> {
    if (this.createFolders) await this.createFolder();
    const release = await acquireFileLock(this.file, () => this.lockLost());
    try {
      this.refresh();
      const flushed = new Map(this.dirty);
      await this.persist(this.table);
      // Keys changed again while the file was being written stay dirty for the next flush.
      for (const [key, record] of flushed)
        if (this.dirty.get(key) === record) this.dirty.delete(key);
    } finally {
      await release().catch(() => undefined);
    }
  }

  /**
   * With `createFolders`, create the store's folder (with missing parents) before the lock
   * (a folder beside the file) and the file are written. Done on every write, not once, so
   * a folder removed while the extension lives is created again rather than failing every
   * later write; on an existing folder it costs a system call or two.
   */
  private async createFolder(): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
  }

  /** Write `table` as the next revision; call with the lock held. */
  private async persist(table: KvTable): Promise<void> {
    const revision = this.revision + 1;
    await writeFileAtomic(this.file, serializeKvFile(revision, table.entries()));
    table.touched.clear();
    this.table = table;
    this.revision = revision;
    try {
      this.known = identity(statSync(this.file, { bigint: true }), revision);
    } catch {
      this.known = undefined;
    }
  }

  /**
   * Bring the cache up to date with the file if it changed since it was last read or
   * written. Synchronous on purpose: the check is one to four cheap syscalls, and doing it
   * without yielding means no other call can interleave between the check and its use.
   *
   * Fast path: one `stat`. When device, inode, size, mtime and ctime all match the cached
   * version and that version is more than {@link SETTLED_MS} old, nothing can have replaced
   * it unnoticed (a newer write would carry a newer ctime). Only for a version written in
   * the last moments — when two writes could share one timestamp tick and a recycled inode
   * — is the revision in the file's head read as well.
   */
  private refresh(): void {
    const quick = statSync(this.file, { bigint: true, throwIfNoEntry: false });
    if (quick === undefined) {
      if (this.known !== null) this.install(null, { revision: 0, entries: [] });
      return;
    }
    const known = this.known;
    if (
      known &&
      sameStats(known, quick) &&
      Date.now() - Number(known.ctimeNs / 1_000_000n) > SETTLED_MS
    )
      return;

    let fd: number;
    try {
      fd = openSync(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (this.known !== null) this.install(null, { revision: 0, entries: [] });
      return;
    }
    try {
      const stats = fstatSync(fd, { bigint: true });
      if (!stats.isFile()) {
        throw kvError('KV_BACKEND_FAILURE', 'the store path is not a regular file', {
          file: this.file,
        });
      }
      const head = Buffer.alloc(KV_FILE_HEAD_BYTES);
      const read = readSync(fd, head, 0, head.length, 0);
      const current = identity(stats, readRevisionHint(head.toString('latin1', 0, read)));
      if (this.known && sameVersion(this.known, current)) return;
      // readSync at an explicit position did not move the file position, so this reads it all.
      const contents = parseKvFile(readFileSync(fd, 'utf8'));
      this.install(current, contents);
    } finally {
      closeSync(fd);
    }
  }

  private install(file: FileIdentity | null, contents: KvFileContents): void {
    const table = new KvTable(this.now, true);
    for (const [key, record] of contents.entries) table.put(key, record);
    for (const [key, record] of this.dirty) {
      if (record === null) table.remove(key);
      else table.put(key, record);
    }
    this.table = table;
    this.known = file;
    this.revision = contents.revision;
  }

  private lockLost(): void {
    // Another process may have written meanwhile; never trust the cache after that.
    this.known = undefined;
  }
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Apply every write of a batch to `table` in order; one that throws fails alone. */
function applyBatch(table: KvTable, batch: readonly PendingWrite[]): Outcome[] {
  return batch.map((pending) => {
    try {
      return { ok: true, value: pending.op(table) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}

/** Resolve or reject each write of a batch with its outcome. */
function settleBatch(batch: readonly PendingWrite[], outcomes: readonly Outcome[]): void {
  outcomes.forEach((outcome, i) => {
    const pending = batch[i] as PendingWrite;
    if (outcome.ok) pending.resolve(outcome.value);
    else pending.reject(outcome.error);
  });
}

function identity(stats: BigIntStats, revision: number | undefined): FileIdentity {
  return {
    dev: stats.dev,
    ino: stats.ino,
    size: stats.size,
    mtimeNs: stats.mtimeNs,
    ctimeNs: stats.ctimeNs,
    revision,
  };
}

/**
 * How long after its last change a file version counts as settled: longer than any file
 * system timestamp tick, with room for a little clock skew on network file systems.
 */
const SETTLED_MS = 2_000;

function sameStats(a: FileIdentity, b: BigIntStats): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}

function sameVersion(a: FileIdentity, b: FileIdentity): boolean {
  return (
    a.revision !== undefined &&
    a.revision === b.revision &&
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeNs === b.mtimeNs &&
    a.ctimeNs === b.ctimeNs
  );
}
