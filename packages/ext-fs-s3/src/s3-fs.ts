import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { fsError, type FsBackend, type FsBackendStat, type FsEntry } from '@rillkit/core';
import { EtagCache } from './etag-cache.js';
import { KeyLock } from './key-lock.js';
import {
  isS3NotFound,
  isS3NotImplemented,
  isS3PreconditionFailed,
  mapS3Error,
} from './map-error.js';

/** Where one mount's files live. */
export interface S3FsBackendOptions {
  /** The client to send requests with (shared by mounts; not owned by the backend). */
  readonly client: S3Client;
  /** The bucket. */
  readonly bucket: string;
  /** The mount root: `''` (the whole bucket) or a key prefix ending in `/`. */
  readonly prefix: string;
}

/** Facts about one object, from HEAD or GET. */
interface ObjectFacts {
  readonly size: number;
  readonly modified: number | undefined;
  readonly etag: string | undefined;
}

/** What a one-page probe below a folder prefix found. */
interface FolderProbe {
  /** Some key starts with the folder prefix (the marker or anything below it). */
  readonly exists: boolean;
  /** The folder's own marker object, when there is one. */
  readonly marker: ObjectFacts | undefined;
  /** Some key other than the marker starts with the folder prefix. */
  readonly hasEntries: boolean;
}

// A file whose ETag keeps changing under a conditional write is retried this often, after a
// random pause that doubles each time (other writers, usually other processes, are racing).
const MAX_ATTEMPTS = 10;
const BACKOFF_BASE_MS = 10;
const BACKOFF_MAX_MS = 400;

function backoff(attempt: number): Promise<void> {
  if (attempt === 0) return Promise.resolve();
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/** S3's limit on object keys, in UTF-8 bytes; the mount prefix counts toward it. */
export const S3_MAX_KEY_BYTES = 1024;

const encoder = new TextEncoder();

/** Throw `FS_INVALID_PATH` when `key` is longer than S3 allows. */
function requireKeyLength(key: string, path: string): string {
  if (encoder.encode(key).length > S3_MAX_KEY_BYTES)
    throw fsError('FS_INVALID_PATH', path, {
      reason: `with the mount prefix the object key would be longer than ${S3_MAX_KEY_BYTES} bytes`,
    });
  return key;
}

/**
 * Encode an object key for `x-amz-copy-source`: each segment URL-encoded on its own, so
 * spaces, `+`, `?`, `#`, `%` and any Unicode reach the server as the exact key.
 */
export function encodeCopySource(bucket: string, key: string): string {
  return `${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `a/b/c` -> `['a', 'a/b']`: the folders on the way to `path`, root excluded. */
function ancestorsOf(path: string): string[] {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segments.length; i++) out.push(segments.slice(0, i).join('/'));
  return out;
}

function tooLarge(path: string, size: number, maxBytes: number): Error {
  return fsError('FS_FILE_TOO_LARGE', path, { details: { size, maxFileSize: maxBytes } });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/**
 * The S3 fs backend: one instance per mount, over the keys below the mount's `prefix` in one
 * bucket. A file at canonical path `p` is the object `prefix + p`.
 *
 * - **Folders are key prefixes.** A folder exists while some key starts with `prefix + p + '/'`;
 *   `mkdir` writes an empty marker object with exactly that key, so an empty folder exists
 *   too. `list` reports markers as folders and never as files. Removing the last entry of a
 *   folder writes the folder's marker, so the folder stays, as it would on disk.
 * - **Files and folders cannot share a name.** Writes check that no folder is at the target and
 *   no file is on the way (one LIST, plus one HEAD per parent folder, before the PUT). A name
 *   that is both an object and a prefix can only come from another writer; `read`, `stat` and
 *   `list` then treat it as a file.
 * - **Overwrites skip the check.** The backend remembers the ETags of up to 4,096 files it has
 *   written, read, stat'ed, appended to, copied or moved (`EtagCache`; never folder markers).
 *   `write` to such a file is one PUT with `If-Match` on that ETag: the server applies it only
 *   while the key is that very file, and a file has no folder at its name and no file above it
 *   (every rillkit writer keeps that true), so the check could find nothing. A 412, or AWS's 404 for a file that is gone, means the entry was stale: the
 *   write then checks and PUTs as for a new file, with the same errors. The cache is only an
 *   optimisation; the server decides. A server answering 501 to `If-Match` turns the fast path
 *   off; one that ignores `If-Match` weakens overwrites as it weakens appends (see the README).
 * - **Writes are atomic**: S3 replaces an object whole. `append` reads the object and writes
 *   it back with `If-Match` on the ETag it read (`If-None-Match: *` when creating), retrying
 *   when another writer got there first; a server without conditional writes makes appends from
 *   several processes last-writer-wins (see the package README). Within one process,
 *   read-modify-write work on one key is serialised.
 * - **`copy`** is a server-side CopyObject guarded by `x-amz-copy-source-if-match`, so the size
 *   checked is the size copied. **`move`** is copy-then-delete: not atomic; if the delete fails
 *   the file exists under both names and the error says so.
 * - Keys never leave the prefix: core hands over canonical paths, and every key is built by
 *   appending one to the prefix.
 */
export class S3FsBackend implements FsBackend {
  private readonly lock = new KeyLock();
  // ETags of files this backend has seen, for the overwrite fast path of `write`. Only a
  // hint: the server checks each one (see `overwrite`), so a stale entry is harmless.
  private readonly etags = new EtagCache();
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  // Cleared after a server answers 501 to a conditional header: it does not implement them.
  private conditionalWrites = true;

  constructor(options: S3FsBackendOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = options.prefix;
  }

  /** The object key of the file at canonical path `path`. */
  private fileKey(path: string): string {
    // Core only hands over canonical paths; refuse anything else rather than build a key that
    // could mean something else (an empty segment is a different S3 key).
    if (path === '' || path.startsWith('/') || path.endsWith('/') || path.includes('//'))
      throw fsError('FS_INVALID_PATH', path, { reason: 'not a canonical path' });
    for (const segment of path.split('/'))
      if (segment === '.' || segment === '..')
        throw fsError('FS_INVALID_PATH', path, { reason: 'not a canonical path' });
    return requireKeyLength(this.prefix + path, path);
  }

  /** The key prefix of everything inside the folder at `path` (the folder's marker key). */
  private folderKey(path: string): string {
    return path === '' ? this.prefix : `${this.fileKey(path)}/`;
  }

  // --- requests ------------------------------------------------------------------------

  private async head(key: string): Promise<ObjectFacts | undefined> {
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      this.etags.set(key, out.ETag);
      return {
        size: out.ContentLength ?? 0,
        modified: out.LastModified?.getTime(),
        etag: out.ETag,
      };
    } catch (error) {
      if (isS3NotFound(error)) {
        this.etags.delete(key);
        return undefined;
      }
      throw error;
    }
  }

  private async probeFolder(path: string): Promise<FolderProbe> {
    const folder = this.folderKey(path);
    const out = await this.client.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: folder, MaxKeys: 2 }),
    );
    const contents = out.Contents ?? [];
    const first = contents[0];
    const marker =
      first?.Key === folder
        ? { size: first.Size ?? 0, modified: first.LastModified?.getTime(), etag: first.ETag }
        : undefined;
    const others = contents.filter((c) => c.Key !== folder).length;
    return { exists: contents.length > 0, marker, hasEntries: others > 0 };
  }

  /** Every page of a listing below `prefix`. */
  private async *pages(
    prefix: string,
    delimiter: string | undefined,
  ): AsyncGenerator<ListObjectsV2CommandOutput> {
    let token: string | undefined;
    for (;;) {
      const out = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          Delimiter: delimiter,
          ContinuationToken: token,
        }),
      );
      yield out;
      if (out.IsTruncated !== true) return;
      if (out.NextContinuationToken === undefined || out.NextContinuationToken === token)
        throw fsError('FS_BACKEND_FAILURE', '', {
          reason: 'the server cut a listing short without a continuation token',
        });
      token = out.NextContinuationToken;
    }
  }

  private sendPut(key: string, body: Uint8Array, condition: string | undefined) {
    return this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ...(condition === undefined
          ? {}
          : condition === '*'
            ? { IfNoneMatch: '*' }
            : { IfMatch: condition }),
      }),
    );
  }

  /**
   * PUT an object, optionally only if its ETag is `condition` or (`condition === '*'`) only
   * if it is absent. Returns false when the condition did not hold. A server that answers 501
   * to the condition gets the PUT without it (and no conditions from then on).
   */
  private async put(key: string, body: Uint8Array, condition?: string): Promise<boolean> {
    const conditional = condition !== undefined && this.conditionalWrites;
    try {
      const out = await this.sendPut(key, body, conditional ? condition : undefined);
      this.etags.set(key, out.ETag);
      return true;
    } catch (error) {
      this.etags.delete(key);
      if (conditional && isS3PreconditionFailed(error)) return false;
      // If-Match on an object that is gone: AWS answers 404 rather than 412.
      if (conditional && condition !== '*' && isS3NotFound(error)) return false;
      if (conditional && isS3NotImplemented(error)) {
        this.conditionalWrites = false;
        const out = await this.sendPut(key, body, undefined);
        this.etags.set(key, out.ETag);
        return true;
      }
      throw error;
    }
  }

  /**
   * The overwrite fast path of `write`: one PUT of the file `key` with `If-Match` on the ETag
   * this backend last saw for it. The server applies it only if `key` is at that moment a file
   * with that ETag; every rillkit writer keeps "a file and a folder never share a name, no
   * file above a file", so the target is then no folder and no parent is a file, and the
   * checks of `requireWritable` would find nothing. Returns false, having written nothing,
   * when there is no ETag to send, the server does not implement conditions (501: it is
   * remembered), or the condition failed (412, or 404 when the object is gone): the caller
   * then checks and writes as for a new file. A stale cache entry therefore costs one request
   * and is never wrong.
   */
  private async overwrite(key: string, body: Uint8Array): Promise<boolean> {
    if (!this.conditionalWrites) return false;
    const etag = this.etags.get(key);
    if (etag === undefined) return false;
    try {
      const out = await this.sendPut(key, body, etag);
      this.etags.set(key, out.ETag);
      return true;
    } catch (error) {
      this.etags.delete(key);
      if (isS3PreconditionFailed(error) || isS3NotFound(error)) return false;
      if (isS3NotImplemented(error)) {
        // Never an unconditional PUT in its place: that would skip the checks.
        this.conditionalWrites = false;
        return false;
      }
      throw error;
    }
  }

  private async deleteKey(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  // --- shared checks -----------------------------------------------------------------------

  /** Throw unless `path` can be written as a file: no file on the way, no folder at it. */
  private async requireWritable(path: string): Promise<void> {
    const [blocked, folder] = await Promise.all([
      this.fileOnTheWay(ancestorsOf(path)),
      this.probeFolder(path),
    ]);
    if (blocked) throw fsError('FS_NOT_A_DIRECTORY', path);
    if (folder.exists) throw fsError('FS_NOT_A_FILE', path);
  }

  /** Whether any of `paths` is a file (checked concurrently). */
  private async fileOnTheWay(paths: readonly string[]): Promise<boolean> {
    const found = await Promise.all(paths.map((p) => this.head(this.fileKey(p))));
    return found.some((f) => f !== undefined);
  }

  /** The file to copy or move from: `FS_NOT_FOUND`, or `FS_NOT_A_FILE` for a folder. */
  private async sourceFile(path: string): Promise<ObjectFacts> {
    const found = await this.head(this.fileKey(path));
    if (found !== undefined) return found;
    if ((await this.probeFolder(path)).exists) throw fsError('FS_NOT_A_FILE', path);
    throw fsError('FS_NOT_FOUND', path);
  }

  /** After removing something from folder `path`: keep the folder if nothing else is in it. */
  private async keepFolder(path: string): Promise<void> {
    if (path === '') return;
    if ((await this.probeFolder(path)).exists) return;
    await this.put(requireKeyLength(this.folderKey(path), path), new Uint8Array(0));
  }

  /** Server-side copy guarded by the source ETag; false when the source changed meanwhile. */
  private async copyObject(from: string, to: string, etag: string | undefined): Promise<boolean> {
    const target = this.fileKey(to);
    try {
      const out = await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: target,
          CopySource: encodeCopySource(this.bucket, this.fileKey(from)),
          ...(etag === undefined ? {} : { CopySourceIfMatch: etag }),
        }),
      );
      this.etags.set(target, out.CopyObjectResult?.ETag);
      return true;
    } catch (error) {
      this.etags.delete(target);
      if (isS3PreconditionFailed(error)) return false;
      if (isS3NotFound(error)) throw fsError('FS_NOT_FOUND', from, { cause: error });
      throw mapS3Error(error, to);
    }
  }

  // --- FsBackend ---------------------------------------------------------------------------

  async read(path: string, maxBytes: number): Promise<Uint8Array> {
    try {
      const key = this.fileKey(path);
      const out = await this.client
        .send(new GetObjectCommand({ Bucket: this.bucket, Key: key }))
        .catch(async (error: unknown) => {
          if (!isS3NotFound(error)) throw error;
          this.etags.delete(key);
          if ((await this.probeFolder(path)).exists) throw fsError('FS_NOT_A_FILE', path);
          throw fsError('FS_NOT_FOUND', path);
        });
      const declared = out.ContentLength;
      if (declared !== undefined && declared > maxBytes) {
        // Refuse before the body is transferred: drop the response stream unread.
        (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
        throw tooLarge(path, declared, maxBytes);
      }
      this.etags.set(key, out.ETag);
      const bytes =
        out.Body === undefined ? new Uint8Array(0) : await out.Body.transformToByteArray();
      if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
      return bytes;
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  async write(path: string, data: Uint8Array): Promise<void> {
    try {
      const key = this.fileKey(path);
      await this.lock.run([key], async () => {
        if (await this.overwrite(key, data)) return;
        await this.requireWritable(path);
        await this.put(key, data);
      });
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  async append(path: string, data: Uint8Array, maxBytes: number): Promise<void> {
    try {
      const key = this.fileKey(path);
      await this.lock.run([key], async () => {
        for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          await backoff(attempt);
          const current = await this.readForAppend(path, key, data.length, maxBytes);
          let written: boolean;
          if (current === undefined) {
            if (data.length > maxBytes) throw tooLarge(path, data.length, maxBytes);
            await this.requireWritable(path);
            written = await this.put(key, data, '*');
          } else {
            written = await this.put(key, concat(current.bytes, data), current.etag);
          }
          if (written) return;
        }
        throw fsError('FS_BACKEND_FAILURE', path, {
          reason: 'the file kept changing during the append',
        });
      });
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  /**
   * The current bytes and ETag of an append target, or undefined when it is absent.
   * `FS_FILE_TOO_LARGE` (before the body is transferred) when adding `adding` bytes to it would
   * exceed `maxBytes`.
   */
  private async readForAppend(
    path: string,
    key: string,
    adding: number,
    maxBytes: number,
  ): Promise<{ bytes: Uint8Array; etag: string | undefined } | undefined> {
    let out;
    try {
      out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    } catch (error) {
      if (isS3NotFound(error)) {
        this.etags.delete(key);
        return undefined;
      }
      throw error;
    }
    this.etags.set(key, out.ETag);
    const declared = out.ContentLength;
    if (declared !== undefined && declared + adding > maxBytes) {
      (out.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw tooLarge(path, declared + adding, maxBytes);
    }
    const bytes =
      out.Body === undefined ? new Uint8Array(0) : await out.Body.transformToByteArray();
    if (bytes.length + adding > maxBytes) throw tooLarge(path, bytes.length + adding, maxBytes);
    return { bytes, etag: out.ETag };
  }

  async list(path: string): Promise<readonly FsEntry[]> {
    try {
      const folder = this.folderKey(path);
      const files = new Map<string, FsEntry>();
      const folders = new Set<string>();
      let sawAnything = false;
      for await (const page of this.pages(folder, '/')) {
        for (const item of page.Contents ?? []) {
          if (item.Key === undefined || !item.Key.startsWith(folder)) continue;
          sawAnything = true;
          const name = item.Key.slice(folder.length);
          if (name === '') continue; // the folder's own marker
          files.set(name, { name, type: 'file', size: item.Size ?? 0 });
        }
        for (const common of page.CommonPrefixes ?? []) {
          const p = common.Prefix;
          if (p === undefined || !p.startsWith(folder)) continue;
          sawAnything = true;
          const name = p.slice(folder.length, -1);
          if (name !== '') folders.add(name);
        }
      }
      if (!sawAnything && path !== '') {
        const file = await this.head(this.fileKey(path));
        throw fsError(file === undefined ? 'FS_NOT_FOUND' : 'FS_NOT_A_DIRECTORY', path);
      }
      const entries = [...files.values()];
      for (const name of folders)
        if (!files.has(name)) entries.push({ name, type: 'directory', size: 0 });
      return entries;
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  async walk(base: string): Promise<readonly string[]> {
    try {
      const folder = this.folderKey(base);
      const out: string[] = [];
      for await (const page of this.pages(folder, undefined)) {
        for (const item of page.Contents ?? []) {
          const key = item.Key;
          if (key === undefined || !key.startsWith(folder) || key.endsWith('/')) continue;
          out.push(key.slice(this.prefix.length));
        }
      }
      return out;
    } catch (error) {
      throw mapS3Error(error, base);
    }
  }

  async stat(path: string): Promise<FsBackendStat | undefined> {
    if (path === '') return { type: 'directory', size: 0, modified: undefined, created: undefined };
    try {
      const file = await this.head(this.fileKey(path));
      if (file !== undefined)
        return { type: 'file', size: file.size, modified: file.modified, created: undefined };
      const folder = await this.probeFolder(path);
      if (!folder.exists) return undefined;
      return { type: 'directory', size: 0, modified: folder.marker?.modified, created: undefined };
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  async remove(path: string): Promise<boolean> {
    try {
      const key = this.fileKey(path);
      const folder = this.folderKey(path);
      return await this.lock.run([key, folder], async () => {
        const file = await this.head(key);
        if (file !== undefined) {
          this.etags.delete(key);
          await this.deleteKey(key);
        } else {
          const probe = await this.probeFolder(path);
          if (!probe.exists) return false;
          if (probe.hasEntries) throw fsError('FS_NOT_EMPTY', path);
          this.etags.deleteUnder(folder);
          await this.deleteKey(folder);
        }
        await this.keepFolder(parentOf(path));
        return true;
      });
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  async mkdir(path: string): Promise<boolean> {
    try {
      const folder = requireKeyLength(this.folderKey(path), path);
      return await this.lock.run([folder], async () => {
        const [blocked, probe] = await Promise.all([
          this.fileOnTheWay([...ancestorsOf(path), path]),
          this.probeFolder(path),
        ]);
        if (blocked) throw fsError('FS_NOT_A_DIRECTORY', path);
        if (probe.exists) return false;
        this.etags.delete(this.fileKey(path));
        // If-None-Match: another process creating the same folder meanwhile makes this false.
        return await this.put(folder, new Uint8Array(0), '*');
      });
    } catch (error) {
      throw mapS3Error(error, path);
    }
  }

  async copy(from: string, to: string, maxBytes: number): Promise<void> {
    const target = this.fileKey(to);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await backoff(attempt);
      let source: ObjectFacts;
      try {
        source = await this.sourceFile(from);
        if (source.size > maxBytes) throw tooLarge(from, source.size, maxBytes);
      } catch (error) {
        throw mapS3Error(error, from);
      }
      // S3 refuses to copy an object onto itself unchanged; the file already is its own copy.
      if (from === to) return;
      const done = await this.lock.run([target], async () => {
        try {
          await this.requireWritable(to);
        } catch (error) {
          throw mapS3Error(error, to);
        }
        return this.copyObject(from, to, source.etag);
      });
      if (done) return;
    }
    throw fsError('FS_BACKEND_FAILURE', from, {
      reason: 'the source kept changing during the copy',
    });
  }

  async move(from: string, to: string): Promise<void> {
    const source = this.fileKey(from);
    const target = this.fileKey(to);
    if (from === to) {
      try {
        await this.sourceFile(from);
        return;
      } catch (error) {
        throw mapS3Error(error, from);
      }
    }
    const moved = await this.lock.run([source, target], async () => {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        await backoff(attempt);
        let facts: ObjectFacts;
        try {
          facts = await this.sourceFile(from);
        } catch (error) {
          throw mapS3Error(error, from);
        }
        try {
          await this.requireWritable(to);
        } catch (error) {
          throw mapS3Error(error, to);
        }
        if (!(await this.copyObject(from, to, facts.etag))) continue;
        this.etags.delete(source);
        try {
          await this.deleteKey(source);
        } catch (error) {
          const mapped = mapS3Error(error, from);
          throw fsError(mapped.code as 'FS_BACKEND_FAILURE', from, {
            reason: 'the file was copied to the target but the source could not be removed',
            details: { ...mapped.details, copied: true },
            cause: error,
          });
        }
        try {
          await this.keepFolder(parentOf(from));
        } catch (error) {
          throw mapS3Error(error, from);
        }
        return true;
      }
      return false;
    });
    if (!moved)
      throw fsError('FS_BACKEND_FAILURE', from, {
        reason: 'the source kept changing during the move',
      });
  }

  async close(): Promise<void> {
    // The client belongs to the extension (or the host); nothing is held per mount.
  }
}
