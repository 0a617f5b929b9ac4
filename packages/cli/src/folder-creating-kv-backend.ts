import { mkdir } from 'node:fs/promises';
import type { KvBackend, KvBackendCapabilities, KvLimits, KvRecord, KvUpdate } from '@rillkit/core';

/**
 * A kv backend that creates its store's folder (and missing parents) just before the first
 * write, so a run that only reads leaves the disk untouched. Everything else is passed to
 * the wrapped backend as is; reads of a store whose folder does not exist yet see an empty
 * store (the JSON backend treats a missing file that way).
 */
export class FolderCreatingKvBackend implements KvBackend {
  readonly name: string;
  readonly capabilities: KvBackendCapabilities;
  private ready: Promise<void> | undefined;
  private isFolderReady = false;
  private hasWritten = false;

  constructor(
    private readonly folder: string,
    private readonly inner: KvBackend,
  ) {
    this.name = inner.name;
    this.capabilities = inner.capabilities;
  }

  get(key: string): KvRecord | undefined | Promise<KvRecord | undefined> {
    return this.inner.get(key);
  }

  getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KvRecord>> {
    return this.inner.getMany(keys);
  }

  list(prefix: string): Promise<readonly (readonly [string, KvRecord])[]> {
    return this.inner.list(prefix);
  }

  set(key: string, record: KvRecord, limits: KvLimits): Promise<void> {
    return this.write(() => this.inner.set(key, record, limits));
  }

  setMany(entries: readonly (readonly [string, KvRecord])[], limits: KvLimits): Promise<void> {
    return this.write(() => this.inner.setMany(entries, limits));
  }

  delete(key: string): Promise<boolean> {
    return this.write(() => this.inner.delete(key));
  }

  deleteMany(keys: readonly string[]): Promise<number> {
    return this.write(() => this.inner.deleteMany(keys));
  }

  clear(prefix: string): Promise<number> {
    return this.write(() => this.inner.clear(prefix));
  }

  update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T> {
    return this.write(() => this.inner.update(key, fn, limits));
  }

  flush(): Promise<void> {
    // Buffered ('dispose' policy) writes reach the disk here: the folder must exist by then.
    return this.hasWritten ? this.write(() => this.inner.flush()) : this.inner.flush();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private write<T>(op: () => Promise<T>): Promise<T> {
    this.hasWritten = true;
    // Once the folder exists, writes go straight through (no extra promise hop per call).
    if (this.isFolderReady) return op();
    this.ready ??= mkdir(this.folder, { recursive: true }).then(
      () => {
        this.isFolderReady = true;
      },
      (error: unknown) => {
        this.ready = undefined;
        throw error;
      },
    );
    return this.ready.then(op);
  }
}
