// How a mount lives in Redis: values under the prefix, the index beside them, native TTL,
// hash tags, literal glob characters, an index that never lists an expired key, and
// accounting that stays exact.
import { Redis } from 'ioredis';
import { beforeEach, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { call, codeOf } from './helpers/kv-calls.js';
import {
  REDIS_URL,
  describeRedis,
  keysUnder,
  rawClient,
  rawClientPerBlock,
} from './helpers/redis-env.js';

const INDEX = ['\xffexpiry', '\xffkeys', '\xffsizes'];

describeRedis('redis key space', () => {
  const block = rawClientPerBlock();
  const { prefix } = block;
  let raw: Redis;
  beforeEach(() => {
    raw = block.raw();
  });
  const open = (
    mounts: Record<string, Record<string, unknown>>,
    extra: Record<string, unknown> = {},
  ) => createRedisKvExtension({ url: REDIS_URL, mounts: mounts as never, ...extra });

  it('stores each value as JSON under the prefix (behind an expiry header when it expires), with a native expiry, and the index beside it', async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p } });
    const before = Date.now();
    await call(kv, 'set', 'm', 'name', 'Alice');
    await call(kv, 'set', 'm', 'brief', { a: [1, 2] }, { ttl: 60 });
    expect(await raw.get(`${p}name`)).toBe('"Alice"');
    // A value that expires carries its expiry in front: NUL, expiresAt, NUL, value JSON.
    const brief = /^\0(\d+(?:\.\d+)?)\0(.*)$/s.exec((await raw.get(`${p}brief`)) ?? '');
    expect(brief?.[2]).toBe('{"a":[1,2]}');
    const logical = Number(brief?.[1]);
    expect(logical).toBeGreaterThanOrEqual(before + 60_000);
    expect(logical).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await raw.pttl(`${p}name`)).toBe(-1);
    // Natively, Redis drops it once the same time to live has passed by its own clock (PX),
    // never before the logical expiry when both clocks agree.
    const expiresAt = Number(await raw.call('PEXPIRETIME', `${p}brief`));
    expect(expiresAt).toBeGreaterThanOrEqual(Math.ceil(logical));
    expect(expiresAt).toBeLessThanOrEqual(Math.ceil(logical) + (Date.now() - before) + 1);
    expect(await keysUnder(raw, p)).toEqual([`${p}brief`, `${p}name`, ...INDEX.map((i) => p + i)]);
    // Nothing is left behind once the mount is empty.
    expect(await call(kv, 'clear', 'm')).toBe(2);
    expect(await keysUnder(raw, p)).toEqual([]);
    await kv.dispose();
  });

  it('a host clock behind the server clock keeps fresh keys: the native expiry is relative', async () => {
    const p = prefix();
    // The host's clock runs a minute behind Redis's: an absolute native expiry (PXAT) of
    // host time + 10 s would already be past for Redis, which would drop the key at once.
    const kv = open({ m: { prefix: p, ttl: 10 } }, { now: () => Date.now() - 60_000 });
    await call(kv, 'set', 'm', 'a', 1);
    await call(kv, 'setMany', 'm', { b: 2 });
    await call(kv, 'set', 'm', 'c', 3, { ttl: 10 });
    expect(await call(kv, 'incr', 'm', 'c')).toBe(4);
    expect(await call(kv, 'get', 'm', 'a')).toBe(1);
    expect(await call(kv, 'keys', 'm')).toEqual(['a', 'b', 'c']);
    for (const key of ['a', 'b', 'c']) {
      const ttl = await raw.pttl(`${p}${key}`);
      expect(ttl).toBeGreaterThan(8_000);
      expect(ttl).toBeLessThanOrEqual(10_000);
    }
    await call(kv, 'clear', 'm');
    await kv.dispose();
  });

  it('counts bytes exactly as UTF-8 key plus value JSON', async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p, maxStoreSize: 13 } });
    await call(kv, 'set', 'm', '\u00E9', 'x'); // 2 + 3 bytes
    await call(kv, 'set', 'm', 'k', '\u00FC\u20AC'); // 1 + 7 bytes: exactly at the limit
    expect(await raw.hget(Buffer.from(`${p}\xffsizes`, 'latin1'), '')).toBe('13');
    expect((await codeOf(call(kv, 'set', 'm', 'k', '\u00FC\u20ACa'))).code).toBe(
      'KV_STORE_TOO_LARGE',
    );
    expect(await call(kv, 'set', 'm', 'k', '\u00FC')).toBe(true);
    expect(await raw.hget(Buffer.from(`${p}\xffsizes`, 'latin1'), '')).toBe('10');
    await kv.dispose();
  });

  it("with hashTag, every key of the mount shares the mount's hash tag", async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p, hashTag: true, ttl: 60 } });
    await call(kv, 'setMany', 'm', { a: 1, 'b{x}': 2, '}c': 3 });
    const keys = await keysUnder(raw, `{${p}}`);
    expect(keys).toHaveLength(6);
    for (const key of keys) expect(hashTagOf(key)).toBe(p);
    expect(await call(kv, 'keys', 'm')).toEqual(['a', 'b{x}', '}c']);
    await kv.dispose();
  });

  it('treats glob characters in prefixes and keys literally', async () => {
    const a = `${prefix()}g*?[x]\\:`;
    const b = `${a.slice(0, -7)}gZ?x\\:`;
    const kv = open({ a: { prefix: a }, b: { prefix: b } });
    const keys = ['*', '*x', '?', '[ab]', 'a', 'b', '\\', '[', 'x*'];
    for (const k of keys) {
      await call(kv, 'set', 'a', k, k);
      await call(kv, 'set', 'b', k, k);
    }
    expect(await call(kv, 'keys', 'a', '*')).toEqual(['*', '*x']);
    expect(await call(kv, 'keys', 'a', '[')).toEqual(['[', '[ab]']);
    expect(await call(kv, 'keys', 'a', '?')).toEqual(['?']);
    expect(await call(kv, 'keys', 'a', '\\')).toEqual(['\\']);
    expect(await call(kv, 'clear', 'a', '[a')).toBe(1);
    expect(await call(kv, 'has', 'a', '[')).toBe(true);
    expect(await call(kv, 'clear', 'a')).toBe(keys.length - 1);
    // The neighbour whose keys a glob would have matched is untouched.
    expect(await call(kv, 'keys', 'b')).toEqual([...keys].sort());
    await kv.dispose();
  });

  it('never lists an expired key, even while Redis still holds it', async () => {
    const p = prefix();
    let skew = 0;
    const kv = open({ m: { prefix: p } }, { now: () => Date.now() + skew });
    await call(kv, 'set', 'm', 'old', 1, { ttl: 60 });
    await call(kv, 'set', 'm', 'kept', 2);
    skew = 61_000;
    expect(await raw.exists(`${p}old`)).toBe(1);
    expect(await call(kv, 'keys', 'm')).toEqual(['kept']);
    expect(await call(kv, 'getAll', 'm')).toEqual(new Map([['kept', 2]]));
    expect(await call(kv, 'getMany', 'm', ['old', 'kept'])).toEqual(new Map([['kept', 2]]));
    expect(await call(kv, 'has', 'm', 'old')).toBe(false);
    expect(await call(kv, 'get_or', 'm', 'old', 'gone')).toBe('gone');
    // The next write purges it: the value, its index entries and its bytes.
    await call(kv, 'set', 'm', 'new', 3);
    expect(await raw.exists(`${p}old`)).toBe(0);
    expect(await raw.zrange(Buffer.from(`${p}\xffkeys`, 'latin1'), '0', '-1')).toEqual([
      'kept',
      'new',
    ]);
    expect(await raw.zcard(Buffer.from(`${p}\xffexpiry`, 'latin1'))).toBe(0);
    expect(await raw.hget(Buffer.from(`${p}\xffsizes`, 'latin1'), '')).toBe(String(4 + 1 + 3 + 1));
    await kv.dispose();
  });

  it('never lists a key Redis expired natively, before any write cleans the index', async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p, maxEntries: 2 } });
    await call(kv, 'set', 'm', 'brief', 1, { ttl: 0.1 });
    await call(kv, 'set', 'm', 'kept', 2);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await raw.exists(`${p}brief`)).toBe(0);
    expect(await raw.zscore(Buffer.from(`${p}\xffkeys`, 'latin1'), 'brief')).toBe('0');
    expect(await call(kv, 'keys', 'm')).toEqual(['kept']);
    expect(await call(kv, 'get', 'm', 'brief')).toBe('');
    // It does not count toward maxEntries either.
    expect(await call(kv, 'set', 'm', 'other', 3)).toBe(true);
    await kv.dispose();
  });

  it('heals the counts when a value vanishes behind the index (deleted or evicted)', async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p, maxEntries: 2 } });
    await call(kv, 'setMany', 'm', { a: 1, b: 2 });
    await raw.del(`${p}a`);
    expect(await call(kv, 'keys', 'm')).toEqual(['b']);
    // At the limit by the counts, but one of them is gone: the write is not refused.
    expect(await call(kv, 'set', 'm', 'c', 3)).toBe(true);
    expect(await call(kv, 'keys', 'm')).toEqual(['b', 'c']);
    expect((await codeOf(call(kv, 'set', 'm', 'd', 4))).code).toBe('KV_TOO_MANY_ENTRIES');
    await kv.dispose();
  });

  it('sorts keys by UTF-16 code unit, not by the UTF-8 bytes Redis orders them by', async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p } });
    const keys = ['\u{1F600}', '\uE000', '\uFFFF', 'z', '\u00E9', '\u{10000}x'];
    for (const k of keys) await call(kv, 'set', 'm', k, 1);
    const expected = ['z', '\u00E9', '\u{10000}x', '\u{1F600}', '\uE000', '\uFFFF'];
    expect(await call(kv, 'keys', 'm')).toEqual(expected);
    expect([...((await call(kv, 'getAll', 'm')) as Map<string, unknown>).keys()]).toEqual(expected);
    expect(await call(kv, 'keys', 'm', '\uD83D\uDE00')).toEqual(['\u{1F600}']);
    expect(await call(kv, 'clear', 'm', '\u{10000}')).toBe(1);
    await kv.dispose();
  });

  it('reports data it did not write as KV_CORRUPT_STORE', async () => {
    const p = prefix();
    const kv = open({ m: { prefix: p } });
    await call(kv, 'setMany', 'm', { text: 1, hash: 2 });
    await raw.set(`${p}text`, 'not json');
    await raw.del(`${p}hash`);
    await raw.hset(`${p}hash`, 'f', 'v');
    expect((await codeOf(call(kv, 'get', 'm', 'text'))).code).toBe('KV_CORRUPT_STORE');
    const wrongType = await codeOf(call(kv, 'get', 'm', 'hash'));
    expect(wrongType.code).toBe('KV_CORRUPT_STORE');
    expect(wrongType.details['mount']).toBe('m');
    expect(wrongType.details['key']).toBe('hash');
    await kv.dispose();
  });

  it('works through a borrowed client whatever its reply options', async () => {
    const variants = [
      () => new Redis(REDIS_URL, { stringNumbers: true }),
      () => new Redis(REDIS_URL, { protocol: 2 }),
      () => new Redis(REDIS_URL, { protocol: 3, replyMapping: 'resp3' }),
    ];
    for (const connect of variants) {
      const p = prefix();
      const client = connect();
      const kv = createRedisKvExtension({ client, mounts: { m: { prefix: p, maxEntries: 3 } } });
      await call(kv, 'set', 'm', 'a', 1, { ttl: 60 });
      expect(await call(kv, 'incr', 'm', 'a', 2)).toBe(3);
      expect(await call(kv, 'getMany', 'm', ['a', 'b'])).toEqual(new Map([['a', 3]]));
      expect(await call(kv, 'setMany', 'm', { b: 1, c: 2 })).toBe(true);
      expect((await codeOf(call(kv, 'set', 'm', 'd', 1))).code).toBe('KV_TOO_MANY_ENTRIES');
      expect(await call(kv, 'delete', 'm', 'b')).toBe(true);
      expect(await call(kv, 'clear', 'm')).toBe(2);
      await kv.dispose();
      await client.quit();
    }
  });

  it('leaves a borrowed client connected on dispose', async () => {
    const p = prefix();
    const client = rawClient();
    const kv = createRedisKvExtension({ client, mounts: { m: { prefix: p } } });
    await call(kv, 'set', 'm', 'k', 1);
    await kv.dispose();
    expect(client.status).toBe('ready');
    expect(await client.get(`${p}k`)).toBe('1');
    await client.quit();
  });
});

/** The part of a key Redis Cluster hashes: the text between the first `{` and the next `}`. */
function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  return close === -1 || close === open + 1 ? key : key.slice(open + 1, close);
}
