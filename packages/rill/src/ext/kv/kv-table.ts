import {
  type KvLimits,
  type KvRecord,
  type KvStoreStats,
  type KvUpdate,
  addKvDeltas,
  checkKvLimits,
  kvEntrySize,
  kvRecordDelta,
} from '@rillkit/core';

/**
 * An in-memory kv table: the records of one store in insertion order, with the entry count
 * and byte size kept up to date so limit checks cost O(1). Shared by the memory backend
 * and the JSON backend (which persists it).
 *
 * Expired records are dropped lazily: every method first purges them once the earliest
 * expiry has passed, so reads and stats only ever see unexpired entries.
 *
 * Each mutating method validates (limits, the update function) before touching anything,
 * so a method that throws leaves the table unchanged. Keys a method changed are collected
 * in {@link touched} for callers that track unsaved changes.
 */
export class KvTable {
  private readonly records = new Map<string, KvRecord>();
  private bytes = 0;
  private nextExpiry = Number.POSITIVE_INFINITY;
  /**
   * Keys written or removed since the caller last cleared this set; only collected when
   * the table was created with `trackChanges`.
   */
  readonly touched = new Set<string>();

  constructor(
    private readonly now: () => number,
    private readonly trackChanges = false,
  ) {}

  /** A copy with the same records (and an empty {@link touched}). */
  clone(): KvTable {
    const copy = new KvTable(this.now, this.trackChanges);
    for (const [key, record] of this.records) copy.put(key, record);
    return copy;
  }

  /** Unexpired entries and their byte size, as `checkKvLimits` reads them. */
  stats(): KvStoreStats {
    this.purge();
    return { entries: this.records.size, size: this.bytes };
  }

  /** The unexpired record of `key`. */
  get(key: string): KvRecord | undefined {
    this.purge();
    return this.records.get(key);
  }

  /** Unexpired records of the keys that exist. */
  getMany(keys: readonly string[]): Map<string, KvRecord> {
    this.purge();
    const out = new Map<string, KvRecord>();
    for (const key of keys) {
      const record = this.records.get(key);
      if (record !== undefined) out.set(key, record);
    }
    return out;
  }

  /** Unexpired entries whose key starts with `prefix`, in insertion order. */
  list(prefix: string): [string, KvRecord][] {
    this.purge();
    const out: [string, KvRecord][] = [];
    for (const entry of this.records) if (entry[0].startsWith(prefix)) out.push(entry);
    return out;
  }

  /** Every unexpired entry, in insertion order (what the JSON backend writes). */
  entries(): IterableIterator<[string, KvRecord]> {
    this.purge();
    return this.records.entries();
  }

  set(key: string, record: KvRecord, limits: KvLimits): void {
    this.purge();
    checkKvLimits(this.stats(), kvRecordDelta(key, this.records.get(key), record), limits);
    this.put(key, record);
    this.touch(key);
  }

  setMany(entries: readonly (readonly [string, KvRecord])[], limits: KvLimits): void {
    this.purge();
    // Later duplicates win, so the delta is computed over the final record of each key.
    const finalRecords = new Map<string, KvRecord>();
    for (const [key, record] of entries) finalRecords.set(key, record);
    const deltas = [...finalRecords].map(([key, record]) =>
      kvRecordDelta(key, this.records.get(key), record),
    );
    checkKvLimits(this.stats(), addKvDeltas(deltas), limits);
    for (const [key, record] of entries) {
      this.put(key, record);
      this.touch(key);
    }
  }

  delete(key: string): boolean {
    this.purge();
    if (!this.records.has(key)) return false;
    this.remove(key);
    this.touch(key);
    return true;
  }

  /** Remove each of `keys` that exists; returns how many were removed (duplicates once). */
  deleteMany(keys: readonly string[]): number {
    this.purge();
    let removed = 0;
    for (const key of keys) {
      if (!this.records.has(key)) continue;
      this.remove(key);
      this.touch(key);
      removed++;
    }
    return removed;
  }

  clear(prefix: string): number {
    const doomed = this.list(prefix).map(([key]) => key);
    for (const key of doomed) {
      this.remove(key);
      this.touch(key);
    }
    return doomed.length;
  }

  update<T>(key: string, fn: (current: KvRecord | undefined) => KvUpdate<T>, limits: KvLimits): T {
    this.purge();
    const current = this.records.get(key);
    const decision = fn(current);
    if (decision.write !== undefined) {
      checkKvLimits(this.stats(), kvRecordDelta(key, current, decision.write), limits);
      this.put(key, decision.write);
      this.touch(key);
    } else if (decision.delete === true && current !== undefined) {
      this.remove(key);
      this.touch(key);
    }
    return decision.result;
  }

  /** The record of `key` as stored, even if it has expired (for change tracking). */
  peek(key: string): KvRecord | undefined {
    return this.records.get(key);
  }

  /** Store without limit checks or change tracking (loading, replaying unsaved changes). */
  put(key: string, record: KvRecord): void {
    const before = this.records.get(key);
    if (before !== undefined) this.bytes -= kvEntrySize(key, before);
    this.records.set(key, record);
    this.bytes += kvEntrySize(key, record);
    if (record.expiresAt !== undefined && record.expiresAt < this.nextExpiry)
      this.nextExpiry = record.expiresAt;
  }

  /** Remove without change tracking. */
  remove(key: string): void {
    const before = this.records.get(key);
    if (before === undefined) return;
    this.bytes -= kvEntrySize(key, before);
    this.records.delete(key);
  }

  private touch(key: string): void {
    if (this.trackChanges) this.touched.add(key);
  }

  private purge(): void {
    const now = this.now();
    if (now < this.nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, record] of this.records) {
      if (record.expiresAt === undefined) continue;
      if (record.expiresAt <= now) this.remove(key);
      else if (record.expiresAt < next) next = record.expiresAt;
    }
    this.nextExpiry = next;
  }
}
