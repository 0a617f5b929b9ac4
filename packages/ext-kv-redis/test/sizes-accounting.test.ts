// The per-mount accounting behind the limits: the "sizes" hash holds each indexed key's bytes,
// marked for the keys that never expire (so that overwriting one needs no ZREM on the expiry
// ZSET), and their total. After any mix of writes, with and without ttl and with keys expiring
// in between, the total is the sum of the sizes, the hash and the index name the same keys,
// and the expiry ZSET holds exactly the keys not marked as never expiring. A mount written by
// the previous build (plain sizes for every key) must keep working.
import { RillError } from '@rillkit/core';
import type { Redis } from 'ioredis';
import { beforeEach, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { call, codeOf, runScript } from './helpers/kv-calls.js';
import { REDIS_URL, describeRedis, rawClientPerBlock } from './helpers/redis-env.js';

const index = (p: string, name: string): Buffer => Buffer.from(`${p}\xff${name}`, 'latin1');

/** What is wrong with the mount's accounting (empty when nothing is). */
async function accountingErrors(raw: Redis, p: string): Promise<string[]> {
  const fields = await raw.hgetallBuffer(index(p, 'sizes'));
  const indexed = (await raw.zrange(index(p, 'keys'), '0', '-1')).sort();
  const expiring = (await raw.zrange(index(p, 'expiry'), '0', '-1')).sort();
  if (indexed.length === 0 && Object.keys(fields).length === 0 && expiring.length === 0) return [];
  let total: number | undefined;
  let sum = 0;
  const sized: string[] = [];
  const unmarked: string[] = [];
  for (const [field, text] of Object.entries(fields)) {
    if (field === '') {
      total = Number(text.toString());
      continue;
    }
    // Bookkeeping fields start with byte 0xFF (read back as U+FFFD).
    if (field.startsWith('\uFFFD')) continue;
    const value = text.toString();
    const size = Number(value);
    if (!Number.isInteger(size) || size === 0) return [`field ${field} holds "${value}"`];
    sized.push(field);
    sum += Math.abs(size);
    // This build marks a key that never expires with a leading "+".
    if (!value.startsWith('+')) unmarked.push(field);
  }
  sized.sort();
  unmarked.sort();
  const errors: string[] = [];
  if (total !== sum) errors.push(`total ${total} != sum of sizes ${sum}`);
  if (sized.join() !== indexed.join()) errors.push(`sized [${sized}] != indexed [${indexed}]`);
  if (unmarked.join() !== expiring.join())
    errors.push(`sizes not marked as never expiring [${unmarked}] != expiry ZSET [${expiring}]`);
  return errors;
}

/** A small seeded generator, so that a failure can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const EXPECTED_CODES = [
  'KV_NOT_A_NUMBER',
  'KV_NOT_A_DICT',
  'KV_TOO_MANY_ENTRIES',
  'KV_STORE_TOO_LARGE',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeRedis('redis kv sizes accounting', () => {
  const block = rawClientPerBlock();
  const { prefix } = block;
  let raw: Redis;
  beforeEach(() => {
    raw = block.raw();
  });

  for (const limited of [false, true]) {
    it(`stays exact under a random mix of writes with and without ttl${limited ? ', near the limits' : ''}`, async () => {
      const p = prefix();
      const limits = limited ? { maxEntries: 4, maxStoreSize: 40 } : {};
      // Three extensions on one key space: no mount ttl, a short one, a long one.
      const exts = [{}, { ttl: 0.03 }, { ttl: 60 }].map((ttl) =>
        createRedisKvExtension({ url: REDIS_URL, mounts: { m: { prefix: p, ...ttl, ...limits } } }),
      );
      const keys = ['a', 'b', 'c', 'd', 'e'];
      for (const seed of [1, 2, 3]) {
        const random = generator(seed);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
        const value = () => pick([1, 22, 'x', 'yyyyyy', { q: 1 }, [1, 2, 3]]);
        const done: string[] = [];
        for (let step = 0; step < 150; step++) {
          const kv = pick(exts);
          const key = pick(keys);
          const op = pick([
            'set',
            'set',
            'ttl',
            'setMany',
            'incr',
            'merge',
            'cas',
            'add',
            'delete',
            'clear',
            'wait',
          ]);
          done.push(`${exts.indexOf(kv)} ${op} ${key}`);
          try {
            if (op === 'set') await call(kv, 'set', 'm', key, value());
            else if (op === 'ttl')
              await call(kv, 'set', 'm', key, value(), { ttl: pick([0.02, 60]) });
            else if (op === 'setMany')
              await call(
                kv,
                'setMany',
                'm',
                new Map(keys.filter(() => random() < 0.4).map((k) => [k, value()])),
              );
            else if (op === 'incr') await call(kv, 'incr', 'm', key, 1);
            else if (op === 'merge')
              await call(kv, 'merge', 'm', key, { z: pick([1, 'longer text']) });
            else if (op === 'cas')
              await call(kv, 'cas', 'm', key, await call(kv, 'get', 'm', key), value());
            else if (op === 'add')
              await call(kv, 'add', 'm', key, value(), random() < 0.5 ? { ttl: 0.02 } : {});
            else if (op === 'delete') await call(kv, 'delete', 'm', key);
            else if (op === 'clear') await call(kv, 'clear', 'm', pick(['', 'a', 'c']));
            else await sleep(35);
          } catch (error) {
            // Type mismatches of incr/merge and limit refusals are expected; they change nothing.
            if (!RillError.is(error)) throw error;
            expect(EXPECTED_CODES).toContain(error.code);
          }
          expect(
            await accountingErrors(raw, p),
            `seed ${seed}: ${done.slice(-5).join(' | ')}`,
          ).toEqual([]);
        }
      }
      for (const kv of exts) await kv.dispose();
    });
  }

  it('refuses at the limits exactly, with keys expiring and changing between expiring and not', async () => {
    const p = prefix();
    let skew = 0;
    const kv = createRedisKvExtension({
      url: REDIS_URL,
      now: () => Date.now() + skew,
      mounts: { m: { prefix: p, maxEntries: 3, maxStoreSize: 6 } },
    });
    // Each key counts 2 bytes (key "x" + JSON "1").
    expect(await runScript(kv, 'kv::set("m", "a", 1, [ttl: 60])')).toBe(true);
    expect(await runScript(kv, 'kv::set("m", "b", 1)')).toBe(true);
    expect(await runScript(kv, 'kv::setMany("m", [c: 1])')).toBe(true);
    expect((await codeOf(runScript(kv, 'kv::set("m", "d", 1)'))).code).toBe('KV_TOO_MANY_ENTRIES');
    // Flipping keys between expiring and not, at the same size, is never refused.
    expect(await runScript(kv, 'kv::set("m", "a", 2)')).toBe(true);
    expect(await runScript(kv, 'kv::set("m", "b", 2, [ttl: 60])')).toBe(true);
    expect(await runScript(kv, 'kv::setMany("m", [a: 3, b: 3, c: 3])')).toBe(true);
    expect(await runScript(kv, 'kv::set("m", "c", 4, [ttl: 60])')).toBe(true);
    expect((await codeOf(runScript(kv, 'kv::set("m", "c", 10)'))).code).toBe('KV_STORE_TOO_LARGE');
    expect(await accountingErrors(raw, p)).toEqual([]);
    // Once c has expired, its entry and bytes are free again, exactly; b no longer expires.
    skew = 61_000;
    expect(await runScript(kv, 'kv::set("m", "d", 1)')).toBe(true);
    expect(await runScript(kv, 'kv::keys("m")')).toEqual(['a', 'b', 'd']);
    expect(await raw.hget(index(p, 'sizes'), '')).toBe('6');
    expect((await codeOf(runScript(kv, 'kv::set("m", "e", 1)'))).code).toBe('KV_TOO_MANY_ENTRIES');
    expect((await codeOf(runScript(kv, 'kv::set("m", "d", 10)'))).code).toBe('KV_STORE_TOO_LARGE');
    expect(await accountingErrors(raw, p)).toEqual([]);
    await kv.dispose();
  });

  // The previous build stored every size as the plain byte count, with or without ttl.
  for (const overwrite of [
    'kv::set("m", "k", 2)',
    'kv::setMany("m", [k: 2])',
    'kv::cas("m", "k", 1, 2)',
  ]) {
    it(`a key that had a ttl in a mount the previous build wrote keeps no expiry after ${overwrite}`, async () => {
      const p = prefix();
      let skew = 0;
      const kv = createRedisKvExtension({
        url: REDIS_URL,
        now: () => Date.now() + skew,
        mounts: { m: { prefix: p } },
      });
      await runScript(kv, 'kv::set("m", "k", 1, [ttl: 60])');
      await raw.hset(index(p, 'sizes'), 'k', '2');
      await runScript(kv, overwrite);
      // Well after the old expiry, a write that adds a key purges what has expired.
      skew = 120_000;
      await runScript(kv, 'kv::set("m", "other", 1)');
      expect(await runScript(kv, '[kv::get("m", "k"), kv::keys("m")]')).toEqual([
        2,
        ['k', 'other'],
      ]);
      expect(await raw.zcard(index(p, 'expiry'))).toBe(0);
      expect(await accountingErrors(raw, p)).toEqual([]);
      await kv.dispose();
    });
  }
});
