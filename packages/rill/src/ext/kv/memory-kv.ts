import type { KvBackend, KvBackendCapabilities, KvLimits, KvRecord, KvUpdate } from '@rillkit/core';
import { KvTable } from './kv-table.js';

/**
 * The in-memory kv backend (`store: ':memory:'`): one {@link KvTable} per mount, nothing
 * persisted. Every operation runs synchronously on the table, so each one — `update`,
 * `setMany`, `deleteMany`, `clear` included — is atomic with respect to every other call
 * in the process. Both write policies are accepted and behave the same (there is nothing
 * to persist).
 */
export class MemoryKvBackend implements KvBackend {
  readonly name = 'memory';
  readonly capabilities: KvBackendCapabilities = Object.freeze({
    writePolicies: Object.freeze(['immediate', 'dispose'] as const),
    crossProcess: false,
    persistent: false,
  });
  private readonly table: KvTable;

  constructor(now: () => number) {
    this.table = new KvTable(now);
  }

  async get(key: string): Promise<KvRecord | undefined> {
    return this.table.get(key);
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KvRecord>> {
    return this.table.getMany(keys);
  }

  async list(prefix: string): Promise<readonly (readonly [string, KvRecord])[]> {
    return this.table.list(prefix);
  }

  async set(key: string, record: KvRecord, limits: KvLimits): Promise<void> {
    this.table.set(key, record, limits);
  }

  async setMany(
    entries: readonly (readonly [string, KvRecord])[],
    limits: KvLimits,
  ): Promise<void> {
    this.table.setMany(entries, limits);
  }

  async delete(key: string): Promise<boolean> {
    return this.table.delete(key);
  }

  async deleteMany(keys: readonly string[]): Promise<number> {
    return this.table.deleteMany(keys);
  }

  async clear(prefix: string): Promise<number> {
    return this.table.clear(prefix);
  }

  async update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T> {
    return this.table.update(key, fn, limits);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
