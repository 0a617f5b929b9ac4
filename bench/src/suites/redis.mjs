// Redis kv benchmarks: the extension's calls against raw ioredis commands on the same server,
// in the same run. Every key lives under a random bench prefix that is removed afterwards.
import { randomBytes } from 'node:crypto';
import { REDIS_KV_FUNCTION_LIBRARY, createRedisKvExtension } from '@rillkit/ext-kv-redis';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import { redisAnswers } from '@rillkit/test-services';
import { Redis } from 'ioredis';
import { measureAlternating, ratioRow } from '../harness.mjs';

const SUITE = 'redis kv';
const BATCH = 100;
const CALLS = Number(process.env.BENCH_REDIS_CALLS ?? 3000);

/** Time `ours` and `baseline` call by call, alternating: [ours, baseline] ns per call. */
function paired(ours, baseline, calls = CALLS) {
  return measureAlternating([ours, baseline], { calls });
}

/** Calls and server microseconds per command name, from INFO commandstats. */
async function commandStats(client) {
  const out = new Map();
  for (const line of (await client.info('commandstats')).split('\n')) {
    const m = /^cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (m) out.set(m[1], { calls: Number(m[2]), usec: Number(m[3]) });
  }
  return out;
}

/**
 * Server time per call of each command in `names` while `work` runs, as "name x.xx µs"
 * (scripts' inner commands count inside FCALL/EVALSHA too, so their time is included).
 */
async function serverTimes(client, names, work) {
  const before = await commandStats(client);
  const result = await work();
  const after = await commandStats(client);
  const times = names.map((name) => {
    const a = before.get(name) ?? { calls: 0, usec: 0 };
    const b = after.get(name) ?? { calls: 0, usec: 0 };
    const calls = b.calls - a.calls;
    return calls > 0 ? `${name.toUpperCase()} ${((b.usec - a.usec) / calls).toFixed(2)} µs` : '';
  });
  return [result, times.filter((t) => t !== '').join(' vs ')];
}

// The least work an atomic kv::set does on the server: read the key's old size (for the
// limits), write the value. Loaded for the bench only, deleted after.
const FLOOR_LIBRARY = `#!lua name=rillkit_bench_floor
redis.register_function('rillkit_bench_floor', function(keys, args)
  redis.call('HGET', keys[1] .. ':' .. args[1], 'key-1')
  redis.call('SET', keys[1], args[2])
  return 1
end)`;

async function dropPrefix(client, prefix) {
  let cursor = '0';
  do {
    const [next, keys] = await client.scanBuffer(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next.toString();
    if (keys.length > 0) await client.del(...keys);
  } while (cursor !== '0');
}

export async function runRedisSuite() {
  const url = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(url))) {
    return {
      rows: [],
      notes: ['redis kv: skipped, no Redis server answers at REDIS_URL or 127.0.0.1:6379.'],
    };
  }
  const rows = [];
  const notes = [];
  // Letters, digits and dashes only, so the cleanup pattern has no glob characters.
  const base = `rillkit-bench-${randomBytes(6).toString('hex')}:`;
  const kvPrefix = `${base}kv:`;
  const rawPrefix = `${base}raw:`;
  const raw = new Redis(url);
  const kv = createRedisKvExtension({ url, mounts: { bench: { prefix: kvPrefix } } });
  try {
    const callCtx = {
      name: 'kv',
      signal: new AbortController().signal,
      span: undefined,
      invoke: async () => '',
    };
    const get = kv.functions['kv::get'];
    const set = kv.functions['kv::set'];
    const getMany = kv.functions['kv::getMany'];
    const setMany = kv.functions['kv::setMany'];
    const value = new Map([
      ['n', 1],
      ['name', 'user 1'],
    ]);
    const json = JSON.stringify({ n: 1, name: 'user 1' });
    const noOpts = new Map();
    await set.fn(['bench', 'key-1', value, noOpts], callCtx);
    await raw.set(`${rawPrefix}key-1`, json);

    // --- single operations, awaited one at a time ----------------------------------------
    const server = [];
    const [[getNs, rawGetNs], getServer] = await serverTimes(raw, ['get'], () =>
      paired(
        () => get.fn(['bench', 'key-1'], callCtx),
        () => raw.get(`${rawPrefix}key-1`),
      ),
    );
    server.push(`kv::get and raw GET alike: ${getServer}`);
    rows.push(
      ratioRow(
        SUITE,
        'kv::get (direct host call), one at a time',
        getNs,
        rawGetNs,
        'ioredis GET',
        1.15,
      ),
    );
    const [[setNs, rawSetNs], setServer] = await serverTimes(raw, ['set', 'fcall', 'evalsha'], () =>
      paired(
        () => set.fn(['bench', 'key-1', value, noOpts], callCtx),
        () => raw.set(`${rawPrefix}key-1`, json),
      ),
    );
    server.push(`kv::set: ${setServer} (SET counts the raw SETs and the one inside the function)`);
    rows.push(
      ratioRow(
        SUITE,
        'kv::set (direct host call), one at a time',
        setNs,
        rawSetNs,
        'ioredis SET',
        1.15,
      ),
    );

    // Where kv::set's time goes: the same FCALL sent by raw ioredis (no core policy, no JSON,
    // no extension), and the least any atomic set can send: a function that only reads the
    // old size (HGET) and writes (SET), with the same number of arguments.
    // (The arguments are those kv::set sends for this record: NOW, the mount's limits, key, value.)
    const setFunction = `${REDIS_KV_FUNCTION_LIBRARY}_set`;
    const now = String(Date.now());
    const [fcallNs, rawSet3Ns] = await paired(
      () => raw.fcall(setFunction, 1, kvPrefix, now, '10000', '10485760', 'key-1', json),
      () => raw.set(`${rawPrefix}key-1`, json),
    );
    rows.push(
      ratioRow(
        SUITE,
        "kv::set's function sent by raw ioredis (its server part)",
        fcallNs,
        rawSet3Ns,
        'ioredis SET',
      ),
    );
    await raw.function('LOAD', 'REPLACE', FLOOR_LIBRARY);
    try {
      const [floorNs, rawSet4Ns] = await paired(
        () => raw.fcall('rillkit_bench_floor', 1, `${rawPrefix}floor`, 'sizes', json),
        () => raw.set(`${rawPrefix}key-1`, json),
      );
      rows.push(
        ratioRow(
          SUITE,
          'floor: FCALL of a function doing only HGET + SET',
          floorNs,
          rawSet4Ns,
          'ioredis SET',
        ),
      );
    } finally {
      await raw.function('DELETE', 'rillkit_bench_floor');
    }

    const ctx = createRuntimeContext({ functions: { ...kv.functions } });
    const getAst = parse('kv::get("bench", "key-1")');
    const setAst = parse('kv::set("bench", "key-1", [n: 1, name: "user 1"])');
    const [scriptGetNs, rawGet2Ns] = await paired(
      () => execute(getAst, ctx),
      () => raw.get(`${rawPrefix}key-1`),
    );
    rows.push(
      ratioRow(
        SUITE,
        'kv::get via script (parse once, execute)',
        scriptGetNs,
        rawGet2Ns,
        'ioredis GET',
      ),
    );
    const [scriptSetNs, rawSet2Ns] = await paired(
      () => execute(setAst, ctx),
      () => raw.set(`${rawPrefix}key-1`, json),
    );
    rows.push(
      ratioRow(
        SUITE,
        'kv::set via script (parse once, execute)',
        scriptSetNs,
        rawSet2Ns,
        'ioredis SET',
      ),
    );

    // --- batches of 100 keys ---------------------------------------------------------------
    const keys = Array.from({ length: BATCH }, (_, i) => `key-${i}`);
    const entries = new Map(
      keys.map((k, i) => [
        k,
        new Map([
          ['n', i],
          ['name', `user ${i}`],
        ]),
      ]),
    );
    const texts = keys.map((_, i) => JSON.stringify({ n: i, name: `user ${i}` }));
    const rawSetBatch = () => {
      const pipeline = raw.pipeline();
      keys.forEach((k, i) => pipeline.set(`${rawPrefix}${k}`, texts[i]));
      return pipeline.exec();
    };
    const rawGetBatch = () => {
      const pipeline = raw.pipeline();
      for (const k of keys) pipeline.get(`${rawPrefix}${k}`);
      return pipeline.exec();
    };
    const keyList = Object.freeze([...keys]);
    await setMany.fn(['bench', entries], callCtx);
    await rawSetBatch();
    const batchCalls = Math.max(50, Math.floor(CALLS / 5));
    const [getManyNs, rawGetManyNs] = await paired(
      () => getMany.fn(['bench', keyList], callCtx),
      rawGetBatch,
      batchCalls,
    );
    rows.push(
      ratioRow(
        SUITE,
        `kv::getMany of ${BATCH} keys (direct)`,
        getManyNs,
        rawGetManyNs,
        `pipeline of ${BATCH} GET`,
        1.3,
      ),
    );
    const [[setManyNs, rawSetManyNs], setManyServer] = await serverTimes(
      raw,
      ['fcall', 'evalsha'],
      () => paired(() => setMany.fn(['bench', entries], callCtx), rawSetBatch, batchCalls),
    );
    server.push(`kv::setMany of ${BATCH}: ${setManyServer} (the raw side: ${BATCH} SETs)`);
    rows.push(
      ratioRow(
        SUITE,
        `kv::setMany of ${BATCH} keys (direct)`,
        setManyNs,
        rawSetManyNs,
        `pipeline of ${BATCH} SET`,
        1.3,
      ),
    );

    notes.push(
      'redis kv: each pair is timed call by call, alternating ours and the baseline, on one server with one connection each (medians). ' +
        'kv::get is one native GET (the expiry travels in the value) and kv::getMany one MGET; kv::set and kv::setMany are one Lua function call each (FCALL; EVALSHA where the server cannot run functions) that also keeps the mount index and checks maxEntries/maxStoreSize atomically. ' +
        'On loopback a round trip is only ~0.1 ms (it varies with machine load, and so do the ratios), so fixed server costs show; the two rows after kv::set split its cost (see Reading these figures). ' +
        `Server time per call during the pairs (INFO commandstats): ${server.join('; ')}.`,
    );
  } finally {
    await kv.dispose();
    await dropPrefix(raw, base);
    await raw.quit();
  }
  return { rows, notes };
}
