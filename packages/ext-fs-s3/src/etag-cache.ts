/** How many object keys one backend remembers an ETag for. */
export const ETAG_CACHE_MAX_KEYS = 4_096;

/**
 * The ETags of file objects one backend has itself seen (PUT, GET, HEAD and copy responses),
 * by object key, at most `maxKeys` of them: the least recently used is forgotten first.
 *
 * Only a hint. The backend sends an entry back as `If-Match`, and the server applies the
 * write only if the object is, at that moment, a file with that ETag; an entry that is stale
 * (the file was changed, removed or replaced by a folder elsewhere) makes the server refuse
 * the write and costs one request, never a wrong result. Folder markers are never entered.
 */
export class EtagCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxKeys: number = ETAG_CACHE_MAX_KEYS) {}

  /** The ETag last seen for `key`, or undefined. */
  get(key: string): string | undefined {
    const etag = this.entries.get(key);
    if (etag !== undefined) {
      // Map keeps insertion order: re-inserting makes the key the most recently used.
      this.entries.delete(key);
      this.entries.set(key, etag);
    }
    return etag;
  }

  /** Remember `etag` for the file `key`; an unknown ETag forgets the key instead. */
  set(key: string, etag: string | undefined): void {
    this.entries.delete(key);
    if (etag === undefined || etag === '' || key === '' || key.endsWith('/')) return;
    this.entries.set(key, etag);
    if (this.entries.size > this.maxKeys) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  /** Forget `key`. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Forget every key that starts with `prefix` (a folder's contents). */
  deleteUnder(prefix: string): void {
    for (const key of [...this.entries.keys()])
      if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** How many keys are remembered. */
  get size(): number {
    return this.entries.size;
  }
}
