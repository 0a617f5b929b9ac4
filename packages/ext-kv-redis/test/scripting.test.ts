// How the server-side scripts reach the server: a Redis function library loaded once (and
// again after the server lost it), or plain EVALSHA/EVAL where an ACL denies functions.
// Also the expiry header a value carries, as seen by a raw client and when it is damaged.
import type { Redis } from 'ioredis';
import { beforeEach, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { FUNCTION_LIBRARY } from '../src/lua-scripts.js';
import { call, codeOf, runScript } from './helpers/kv-calls.js';
import {
  REDIS_URL,
  describeOwnServer,
  describeRedis,
  ownServerPerBlock,
  randomPrefix,
  rawClientPerBlock,
} from './helpers/redis-env.js';

/** The names of the rillkit kv function libraries loaded on a server. */
async function libraries(client: Redis): Promise<string[]> {
  const reply = (await client.call(
    'FUNCTION',
    'LIST',
    'LIBRARYNAME',
    'rillkit_kv_*',
  )) as unknown[][];
  return reply.map((library) => String(library[library.indexOf('library_name') + 1]));
}

/** Every kind of script the extension runs, through a real script; returns what it saw. */
const WORKOUT = `
kv::set("m", "a", 1)
kv::setMany("m", [b: 2, c: 3])
kv::set("m", "t", "soon", [ttl: 60])
kv::incr("m", "a")
kv::cas("m", "b", 2, 20)
kv::delete("m", "c")
[kv::get("m", "a"), kv::get("m", "b"), kv::get("m", "t"), kv::keys("m"), kv::clear("m"), kv::keys("m")]
`;
const WORKOUT_RESULT = [2, 20, 'soon', ['a', 'b', 't'], 3, []];

describeRedis('redis kv scripting', () => {
  const block = rawClientPerBlock();
  let raw: Redis;
  beforeEach(() => {
    raw = block.raw();
  });
  const open = () => {
    const p = block.prefix();
    return { p, kv: createRedisKvExtension({ url: REDIS_URL, mounts: { m: { prefix: p } } }) };
  };

  it('loads its function library on first use and again after the server lost it', async () => {
    const { kv } = open();
    expect(await runScript(kv, WORKOUT)).toEqual(WORKOUT_RESULT);
    expect(await libraries(raw)).toContain(FUNCTION_LIBRARY.name);
    // As after a restart of a server without persistence: the library is gone.
    await raw.call('FUNCTION', 'DELETE', FUNCTION_LIBRARY.name);
    expect(await libraries(raw)).not.toContain(FUNCTION_LIBRARY.name);
    expect(await runScript(kv, WORKOUT)).toEqual(WORKOUT_RESULT);
    expect(await libraries(raw)).toContain(FUNCTION_LIBRARY.name);
    await kv.dispose();
  });

  it('a value that expires carries its expiry in a header; a damaged header is KV_CORRUPT_STORE', async () => {
    const { p, kv } = open();
    await call(kv, 'set', 'm', 'k', 'v', { ttl: 60 });
    const stored = (await raw.get(`${p}k`)) ?? '';
    expect(stored.startsWith('\0')).toBe(true);
    expect(stored.endsWith('\0"v"')).toBe(true);
    for (const damaged of ['\0', '\0"v"', '\0soon\0"v"', '\0\0"v"', '\0 5\0"v"', '\x001e3\0"v"']) {
      await raw.set(`${p}k`, damaged);
      expect((await codeOf(call(kv, 'get', 'm', 'k'))).code).toBe('KV_CORRUPT_STORE');
      expect((await codeOf(call(kv, 'getMany', 'm', ['k']))).code).toBe('KV_CORRUPT_STORE');
    }
    // A header in the past reads as expired, whatever Redis still holds.
    await raw.set(`${p}k`, `\0${Date.now() - 1}\0"v"`);
    expect(await call(kv, 'has', 'm', 'k')).toBe(false);
    await kv.dispose();
  });

  it('keeps the mount size hash a hash table, so size lookups do not scan', async () => {
    const { p, kv } = open();
    await call(
      kv,
      'setMany',
      'm',
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    await call(kv, 'set', 'm', 'c', 3);
    const sizes = Buffer.concat([Buffer.from(p), Buffer.from([0xff]), Buffer.from('sizes')]);
    expect(await raw.call('OBJECT', 'ENCODING', sizes)).toBe('hashtable');
    await kv.dispose();
  });
});

describeOwnServer('redis kv scripting where an ACL denies functions', () => {
  const own = ownServerPerBlock(async (admin) => {
    // No FCALL at all, and FCALL without FUNCTION LOAD.
    await admin.call(
      'ACL',
      'SETUSER',
      'nofunctions',
      'on',
      'nopass',
      '~*',
      '&*',
      '+@all',
      '-fcall',
      '-fcall_ro',
      '-function',
    );
    await admin.call('ACL', 'SETUSER', 'noload', 'on', 'nopass', '~*', '&*', '+@all', '-function');
  });

  for (const user of ['nofunctions', 'noload']) {
    it(`user "${user}": every script runs as EVALSHA/EVAL with the same results`, async () => {
      const url = `redis://${user}:x@127.0.0.1:${own.server().port}`;
      const kv = createRedisKvExtension({ url, mounts: { m: { prefix: randomPrefix() } } });
      // The first calls all go out as FCALL at once; each is retried once refused.
      const first = await Promise.all(
        Array.from({ length: 10 }, (_, i) => call(kv, 'set', 'm', `k${i}`, i)),
      );
      expect(first).toEqual(Array.from({ length: 10 }, () => true));
      expect(await call(kv, 'clear', 'm')).toBe(10);
      expect(await runScript(kv, WORKOUT)).toEqual(WORKOUT_RESULT);
      expect(await runScript(kv, WORKOUT)).toEqual(WORKOUT_RESULT);
      expect(await libraries(own.admin())).toEqual([]);
      await kv.dispose();
    });
  }
});

describeOwnServer('redis kv scripting on a server out of memory', () => {
  const own = ownServerPerBlock();

  it('refuses writes that need memory with a coded error, but reads, deletes and clear still work', async () => {
    const kv = createRedisKvExtension({
      url: own.server().url,
      mounts: { m: { prefix: randomPrefix() } },
    });
    await runScript(kv, 'range(0, 20) -> each { kv::set("m", "k{$}", "value {$}") }');
    // Over the limit from here on (noeviction: commands that need memory are refused).
    await own.admin().call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
    await own.admin().call('CONFIG', 'SET', 'maxmemory', '1');
    try {
      expect((await codeOf(call(kv, 'set', 'm', 'new', 1))).code).toBe('KV_BACKEND_FAILURE');
      expect(await call(kv, 'get', 'm', 'k1')).toBe('value 1');
      expect(await call(kv, 'delete', 'm', 'k1')).toBe(true);
      expect(await runScript(kv, 'kv::clear("m", "k1")')).toBe(10);
      // Even after the server lost the function library (which cannot be loaded now).
      await own.admin().call('FUNCTION', 'DELETE', FUNCTION_LIBRARY.name);
      expect(await call(kv, 'keys', 'm')).toEqual([
        'k0',
        'k2',
        'k3',
        'k4',
        'k5',
        'k6',
        'k7',
        'k8',
        'k9',
      ]);
      expect(await call(kv, 'delete', 'm', 'k0')).toBe(true);
    } finally {
      await own.admin().call('CONFIG', 'SET', 'maxmemory', '0');
    }
    expect(await call(kv, 'set', 'm', 'new', 1)).toBe(true);
    expect(await runScript(kv, 'kv::keys("m")')).toEqual([
      'k2',
      'k3',
      'k4',
      'k5',
      'k6',
      'k7',
      'k8',
      'k9',
      'new',
    ]);
    await kv.dispose();
  });
});
