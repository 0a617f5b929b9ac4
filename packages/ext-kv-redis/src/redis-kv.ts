import {
  type KvBackend,
  type KvBackendCapabilities,
  type KvLimits,
  type KvRecord,
  type KvUpdate,
  checkKvLimits,
  kvError,
} from '@rillkit/core';
import { KeyLock } from './key-lock.js';
import {
  CLEAR_SCRIPT,
  COMMIT_SCRIPT,
  DELETE_SCRIPT,
  LIST_SCRIPT,
  type LuaScript,
  SET_MANY_SCRIPT,
  SET_SCRIPT,
} from './lua-scripts.js';
import type { RedisConnection, ScriptArg } from './redis-connection.js';
import { WriteTracker } from './write-tracker.js';

/** How often an optimistic update re-reads and retries before giving up. */
export const REDIS_KV_MAX_UPDATE_ATTEMPTS = 100;

/** What one mount's backend is built from. */
export interface RedisKvBackendOptions {
  /** The connection every mount of the extension shares. */
  readonly connection: RedisConnection;
  /** The string every Redis key of the mount starts with (`prefix` or `{prefix}`). */
  readonly space: string;
  /** The extension's clock (ms since the epoch). */
  readonly now: () => number;
}

/**
 * The Redis kv backend of one mount. Each value is a Redis STRING `<space><key>` holding the
 * value JSON verbatim, with a native time to live (`PX`); a per-mount index (a ZSET of keys for
 * prefix ranges, a ZSET of expiry times, a HASH of sizes and their total; see
 * lua-scripts.ts) makes listing, `clear` and limit checks exact without scanning the
 * keyspace. Every write is one Lua script that checks the limits and applies the write,
 * the index and the accounting together, so it is atomic against every other client of
 * the server. `get` and `getMany` are a native GET / MGET (a record that expires carries
 * its expiry in its STRING); `list` is one script over the index.
 *
 * `update` (cas, add, incr, merge) is optimistic: read the record, let core decide in JS
 * (so results are byte-identical to every other backend), then commit with a script that
 * applies the decision only if the stored value text and expiry are still the ones read,
 * re-reading on conflict up to {@link REDIS_KV_MAX_UPDATE_ATTEMPTS} times
 * (`KV_BACKEND_FAILURE`, `details.reason = 'contention'`, after that). Updates of one key
 * within the process are queued, so they only ever conflict with other clients.
 *
 * Write policy `'immediate'` only: every write is on the server before the call returns
 * (durable as far as the server's own persistence settings make it).
 */
export class RedisKvBackend implements KvBackend {
  readonly name = 'redis';
  readonly capabilities: KvBackendCapabilities = Object.freeze({
    writePolicies: Object.freeze(['immediate'] as const),
    crossProcess: true,
    persistent: true,
  });
  private readonly connection: RedisConnection;
  private readonly space: string;
  private readonly now: () => number;
  private readonly updates = new KeyLock();
  private readonly writes = new WriteTracker();

  constructor(options: RedisKvBackendOptions) {
    this.connection = options.connection;
    this.space = options.space;
    this.now = options.now;
  }

  get(key: string): Promise<KvRecord | undefined> {
    // A native GET: the expiry travels in the STRING (see lua-scripts.ts).
    return this.connection
      .command((client) => client.get(this.space + key))
      .then((stored) => this.record(stored));
  }

  async getMany(keys: readonly string[]): Promise<ReadonlyMap<string, KvRecord>> {
    const unique = [...new Set(keys)];
    const out = new Map<string, KvRecord>();
    if (unique.length === 0) return out;
    // One MGET: atomic, and each STRING carries its own expiry.
    const stored = await this.connection.command((client) =>
      client.mget(unique.map((k) => this.space + k)),
    );
    unique.forEach((key, i) => {
      const record = this.record(stored[i]);
      if (record !== undefined) out.set(key, record);
    });
    return out;
  }

  async list(prefix: string): Promise<readonly (readonly [string, KvRecord])[]> {
    const reply = list(await this.run(LIST_SCRIPT, [this.space], [prefix]));
    const out: (readonly [string, KvRecord])[] = [];
    for (let i = 0; i < reply.length; i += 2) {
      const record = this.record(reply[i + 1]);
      if (record !== undefined) out.push([text(reply[i]), record]);
    }
    return out;
  }

  set(key: string, record: KvRecord, limits: KvLimits): Promise<void> {
    const now = this.now();
    const args = [
      String(now),
      String(limits.maxEntries),
      String(limits.maxStoreSize),
      key,
      record.value,
    ];
    // Two arguments fewer when nothing expires: each costs the server and the client.
    if (record.expiresAt !== undefined)
      args.push(expiresText(record.expiresAt), pxText(record.expiresAt, now));
    return this.write(SET_SCRIPT, [this.space], args, (reply) => this.checkApplied(reply, limits));
  }

  setMany(entries: readonly (readonly [string, KvRecord])[], limits: KvLimits): Promise<void> {
    // Later duplicates win: keep each key's last record, once.
    const last = new Map<string, KvRecord>();
    for (const [key, record] of entries) {
      last.delete(key);
      last.set(key, record);
    }
    if (last.size === 0) return Promise.resolve();
    // Four arguments per record when one of them expires, two (key, value) otherwise.
    let expiring = false;
    for (const record of last.values()) if (record.expiresAt !== undefined) expiring = true;
    const now = this.now();
    const args = [
      String(now),
      String(limits.maxEntries),
      String(limits.maxStoreSize),
      expiring ? '4' : '2',
    ];
    for (const [key, record] of last) {
      if (expiring)
        args.push(key, record.value, expiresText(record.expiresAt), pxText(record.expiresAt, now));
      else args.push(key, record.value);
    }
    return this.write(SET_MANY_SCRIPT, [this.space], args, (reply) =>
      this.checkApplied(reply, limits),
    );
  }

  delete(key: string): Promise<boolean> {
    return this.write(
      DELETE_SCRIPT,
      [this.space, this.space + key],
      [String(this.now()), key],
      (reply) => count(reply) === 1,
    );
  }

  deleteMany(keys: readonly string[]): Promise<number> {
    const unique = [...new Set(keys)];
    if (unique.length === 0) return Promise.resolve(0);
    return this.write(DELETE_SCRIPT, this.dataKeys(unique), [String(this.now()), ...unique], count);
  }

  clear(prefix: string): Promise<number> {
    return this.write(CLEAR_SCRIPT, [this.space], [String(this.now()), prefix], count);
  }

  async update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T> {
    this.writes.begin();
    try {
      return await this.updates.run(key, () => this.optimisticUpdate(key, fn, limits));
    } finally {
      this.writes.end();
    }
  }

  flush(): Promise<void> {
    // Writes are applied when their call resolves; wait for the ones still running.
    return this.writes.idle();
  }

  async close(): Promise<void> {
    // The connection belongs to the extension, which closes it after every mount.
  }

  private async optimisticUpdate<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(key);
      const decision = fn(current);
      const write = decision.write;
      if (write === undefined && (decision.delete !== true || current === undefined))
        return decision.result;
      const now = this.now();
      const reply = await this.run(
        COMMIT_SCRIPT,
        [this.space, this.space + key],
        [
          String(now),
          key,
          current === undefined ? '0' : '1',
          current?.value ?? '',
          expiresText(current?.expiresAt),
          write === undefined ? 'delete' : 'write',
          write?.value ?? '',
          expiresText(write?.expiresAt),
          pxText(write?.expiresAt, now),
          String(limits.maxEntries),
          String(limits.maxStoreSize),
        ],
      );
      if (!isConflict(reply)) {
        this.checkApplied(reply, limits);
        return decision.result;
      }
      if (attempt >= REDIS_KV_MAX_UPDATE_ATTEMPTS) {
        throw kvError(
          'KV_BACKEND_FAILURE',
          `the key kept changing under ${attempt} update attempts; try again`,
          { reason: 'contention', attempts: attempt },
        );
      }
      // Other clients are writing the same key: step aside for a random moment so that
      // one of the contenders gets through.
      if (attempt > 1) await sleep(Math.random() * Math.min(2 ** attempt, 50));
    }
  }

  /** SPACE, then the data key of each of `keys`: the KEYS of scripts that touch those keys. */
  private dataKeys(keys: readonly string[]): string[] {
    const out = [this.space];
    for (const key of keys) out.push(this.space + key);
    return out;
  }

  /** Run a write script, counted for `flush()`, and turn its reply into the result. */
  private write<T>(
    script: LuaScript,
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
    result: (reply: unknown) => T,
  ): Promise<T> {
    this.writes.begin();
    return this.run(script, keys, args).then(
      (reply) => {
        this.writes.end();
        return result(reply);
      },
      (error: unknown) => {
        this.writes.end();
        throw error;
      },
    );
  }

  private run(
    script: LuaScript,
    keys: readonly ScriptArg[],
    args: readonly ScriptArg[],
  ): Promise<unknown> {
    return this.connection.run(script, keys, args);
  }

  /**
   * The record a STRING holds (see lua-scripts.ts): the value JSON, or NUL, expiresAt, NUL
   * and the value JSON for one that expires; expired or missing = absent.
   * @throws `KV_CORRUPT_STORE` for an expiry header that does not parse.
   */
  private record(stored: unknown): KvRecord | undefined {
    if (stored === null || stored === undefined) return undefined;
    const value = text(stored);
    if (value.charCodeAt(0) !== 0) return { value, expiresAt: undefined };
    const end = value.indexOf('\0', 1);
    const expiresAt = end === -1 ? Number.NaN : parseExpiry(value.slice(1, end));
    if (Number.isNaN(expiresAt)) {
      throw kvError(
        'KV_CORRUPT_STORE',
        'a Redis value of this mount has an expiry header the kv extension did not write',
        {},
      );
    }
    if (expiresAt <= this.now()) return undefined;
    return { value: value.slice(end + 1), expiresAt };
  }

  /** Reply 1: applied. Reply `{0, entries, size, dEntries, dSize}`: refused by the limits. */
  private checkApplied(reply: unknown, limits: KvLimits): void {
    if (integer(reply) === 1) return;
    const parts = list(reply);
    if (integer(parts[0]) === 0 && parts.length === 5) {
      const [, entries, size, dEntries, dSize] = parts.map(Number) as [
        number,
        number,
        number,
        number,
        number,
      ];
      checkKvLimits({ entries, size }, { entries: dEntries, size: dSize }, limits);
    }
    throw unexpected(reply);
  }
}

/** The expiry as a ZSET score: `''` for none, exact decimal text otherwise. */
function expiresText(expiresAt: number | undefined): string {
  if (expiresAt === undefined) return '';
  return expiresAt === Number.POSITIVE_INFINITY ? 'inf' : String(expiresAt);
}

/**
 * The native time to live (`PX`): whole ms from `now`, rounded up so Redis never drops a
 * value before the extension's clock expires it, and at least 1 (a write that has already
 * expired by `now` is not stored). Relative, not `PXAT`: Redis counts it on its own clock,
 * so a host clock behind the server's does not get fresh keys dropped at once. `''` for no
 * expiry or one past what Redis can hold.
 */
function pxText(expiresAt: number | undefined, now: number): string {
  if (expiresAt === undefined || !(expiresAt - now <= Number.MAX_SAFE_INTEGER)) return '';
  return String(Math.max(1, Math.ceil(expiresAt - now)));
}

/**
 * The expiresAt of a header, exactly as {@link expiresText} writes it; NaN for anything
 * else (`' 5'`, `'1000.0'`, `'0x10'`), so that the commit step, which compares the stored
 * text with the text written back, never meets a header it cannot match.
 */
function parseExpiry(text: string): number {
  if (text === 'inf') return Number.POSITIVE_INFINITY;
  const n = Number(text);
  return text !== '' && String(n) === text ? n : Number.NaN;
}

function isConflict(reply: unknown): boolean {
  return integer(reply) === 2;
}

function list(reply: unknown): readonly unknown[] {
  if (!Array.isArray(reply)) throw unexpected(reply);
  return reply;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw unexpected(value);
}

function count(reply: unknown): number {
  const n = integer(reply);
  if (n === undefined) throw unexpected(reply);
  return n;
}

/** An integer reply; a borrowed client with `stringNumbers` returns them as text. */
function integer(reply: unknown): number | undefined {
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'string' && /^-?\d+$/.test(reply)) return Number(reply);
  return undefined;
}

function unexpected(reply: unknown): Error {
  return kvError('KV_BACKEND_FAILURE', 'Redis returned a reply the kv extension did not expect', {
    reply: typeof reply === 'object' ? JSON.stringify(reply) : String(reply),
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
