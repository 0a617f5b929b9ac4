/**
 * A tiny in-test kv backend (a Map, checked with core's own helpers) and a harness that
 * wires it through defineKvExtension, so core policy is tested without the interpreter.
 */
import {
  type ExtensionResult,
  type HostCallContext,
  type KvBackend,
  type KvBackendContext,
  type KvLimits,
  type KvMountOptions,
  type KvRecord,
  type KvUpdate,
  type RillValue,
  RillError,
  addKvDeltas,
  checkKvLimits,
  defineKvExtension,
  fromHostValue,
  kvRecordDelta,
  utf8Length,
} from '../src/index.js';

export class TestKvBackend implements KvBackend {
  readonly name = 'test';
  readonly capabilities = {
    writePolicies: ['immediate'] as const,
    crossProcess: false,
    persistent: false,
  };
  readonly records = new Map<string, KvRecord>();
  /** Thrown by the next call of any method, then cleared. */
  failNext: unknown = undefined;
  flushError: unknown = undefined;
  closeError: unknown = undefined;
  flushed = 0;
  closed = 0;

  constructor(readonly context: KvBackendContext) {}

  private live(): Map<string, KvRecord> {
    const now = this.context.now();
    for (const [k, r] of this.records)
      if (r.expiresAt !== undefined && r.expiresAt <= now) this.records.delete(k);
    if (this.failNext !== undefined) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    return this.records;
  }

  private stats() {
    let size = 0;
    for (const [k, r] of this.records) size += utf8Length(k) + utf8Length(r.value);
    return { entries: this.records.size, size };
  }

  /** Answer `get` synchronously, as an embedded database backend does. */
  syncGet = false;

  get(key: string): KvRecord | undefined | Promise<KvRecord | undefined> {
    if (this.syncGet) return this.live().get(key);
    return Promise.resolve().then(() => this.live().get(key));
  }

  async getMany(keys: readonly string[]) {
    const live = this.live();
    const out = new Map<string, KvRecord>();
    for (const k of keys) {
      const r = live.get(k);
      if (r) out.set(k, r);
    }
    return out;
  }
  async list(prefix: string) {
    // Deliberately unsorted (reverse insertion order): core must sort.
    return [...this.live()].filter(([k]) => k.startsWith(prefix)).reverse();
  }
  async set(key: string, record: KvRecord, limits: KvLimits) {
    const live = this.live();
    checkKvLimits(this.stats(), kvRecordDelta(key, live.get(key), record), limits);
    live.set(key, record);
  }
  async setMany(entries: readonly (readonly [string, KvRecord])[], limits: KvLimits) {
    const live = this.live();
    checkKvLimits(
      this.stats(),
      addKvDeltas(entries.map(([k, r]) => kvRecordDelta(k, live.get(k), r))),
      limits,
    );
    for (const [k, r] of entries) live.set(k, r);
  }
  async delete(key: string) {
    return this.live().delete(key);
  }
  /** Every `deleteMany` call's keys, so tests can see what core asked to remove. */
  readonly deleteManyCalls: (readonly string[])[] = [];
  async deleteMany(keys: readonly string[]) {
    const live = this.live();
    this.deleteManyCalls.push([...keys]);
    let n = 0;
    for (const k of keys) if (live.delete(k)) n++;
    return n;
  }
  async clear(prefix: string) {
    const live = this.live();
    let n = 0;
    for (const k of [...live.keys()]) if (k.startsWith(prefix) && live.delete(k)) n++;
    return n;
  }
  async update<T>(
    key: string,
    fn: (current: KvRecord | undefined) => KvUpdate<T>,
    limits: KvLimits,
  ) {
    const live = this.live();
    const current = live.get(key);
    const d = fn(current);
    if (d.write !== undefined) {
      checkKvLimits(this.stats(), kvRecordDelta(key, current, d.write), limits);
      live.set(key, d.write);
    } else if (d.delete) live.delete(key);
    return d.result;
  }
  async flush() {
    this.flushed++;
    if (this.flushError !== undefined) throw this.flushError;
  }
  async close() {
    this.closed++;
    if (this.closeError !== undefined) throw this.closeError;
  }
}

export interface Harness {
  readonly ext: ExtensionResult;
  readonly backends: Map<string, TestKvBackend>;
  readonly clock: { now: number };
  /** Call `kv::<name>` directly with plain JS arguments (converted to rill values). */
  call(name: string, ...args: unknown[]): Promise<RillValue>;
  /** The error code a call fails with (fails the test if it succeeds). */
  code(name: string, ...args: unknown[]): Promise<string>;
  /** The error a call fails with. */
  error(name: string, ...args: unknown[]): Promise<RillError>;
}

export function harness(
  mounts: Record<string, KvMountOptions & Record<string, unknown>>,
  extra: { namespace?: string; dispose?: () => Promise<void> } = {},
): Harness {
  const clock = { now: 1_000_000 };
  const backends = new Map<string, TestKvBackend>();
  const ext = defineKvExtension({
    mounts,
    namespace: extra.namespace,
    now: () => clock.now,
    backendOptions: ['extra'],
    createBackend(mount, _options, context) {
      const b = new TestKvBackend(context);
      backends.set(mount, b);
      return b;
    },
    ...(extra.dispose ? { dispose: extra.dispose } : {}),
  });
  const ns = extra.namespace ?? 'kv';
  const call = async (name: string, ...args: unknown[]): Promise<RillValue> => {
    const fn = ext.functions[`${ns}::${name}`];
    if (!fn) throw new Error(`no function ${ns}::${name}`);
    const values = args.map((a) => fromHostValue(a));
    const filled = fn.params.map((p, i) => values[i] ?? p.default) as RillValue[];
    const ctx: HostCallContext = {
      name: `${ns}::${name}`,
      signal: new AbortController().signal,
      span: undefined,
      invoke: () => Promise.reject(new Error('no closures here')),
    };
    return fn.fn(
      filled.filter((v) => v !== undefined),
      ctx,
    );
  };
  const error = async (name: string, ...args: unknown[]): Promise<RillError> => {
    try {
      const value = await call(name, ...args);
      throw new Error(
        `expected ${name} to fail, got ${JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v))}`,
      );
    } catch (e) {
      if (!RillError.is(e)) throw e;
      return e;
    }
  };
  const code = async (name: string, ...args: unknown[]) => (await error(name, ...args)).code;
  return { ext, backends, clock, call, code, error };
}

/** Plain JS view of a value, for toEqual. */
export function plain(value: RillValue): unknown {
  if (Array.isArray(value)) return value.map((v) => plain(v as RillValue));
  if (value instanceof Map) return [...value].map(([k, v]) => [k, plain(v as RillValue)]);
  return value;
}
