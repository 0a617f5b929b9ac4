// Atomicity against every other client of the server, not only against this extension: a
// second, plain ioredis client writes the same keys while cas, merge and incr run.
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { COMMIT_SCRIPT } from '../src/lua-scripts.js';
import { call } from './helpers/kv-calls.js';
import { describeRedis, dropKeys, randomPrefix, rawClient } from './helpers/redis-env.js';

type ScriptCall = (...args: unknown[]) => Promise<unknown>;

describeRedis('a raw client racing the extension', () => {
  let raw: Redis;
  let borrowed: Redis;
  let p: string;
  let commits = 0;
  // Runs once, in the window between an update's read and its commit.
  let interlude: (() => Promise<unknown>) | undefined;

  beforeAll(() => {
    raw = rawClient();
    borrowed = rawClient();
    // The extension borrows this client; its commit step (a function call, or a script
    // where the server runs no functions) first lets the raw client write.
    for (const [command, name] of [
      ['fcall', COMMIT_SCRIPT.fn],
      ['evalsha', COMMIT_SCRIPT.sha],
    ] as const) {
      const send = borrowed[command].bind(borrowed) as ScriptCall;
      (borrowed as unknown as Record<string, ScriptCall>)[command] = async (...args) => {
        if (args[0] === name) {
          commits++;
          const step = interlude;
          interlude = undefined;
          await step?.();
        }
        return send(...args);
      };
    }
  });
  afterEach(async () => {
    interlude = undefined;
    commits = 0;
    await dropKeys(raw, p);
  });
  afterAll(async () => {
    await raw.quit();
    await borrowed.quit();
  });

  const open = (maxEntries = 100) => {
    p = randomPrefix();
    return createRedisKvExtension({ client: borrowed, mounts: { m: { prefix: p, maxEntries } } });
  };

  it('cas: a raw write between read and commit makes the cas see the new value', async () => {
    const kv = open();
    await call(kv, 'set', 'm', 'k', 'v1');
    interlude = () => raw.set(`${p}k`, '"v9"', 'KEEPTTL');
    expect(await call(kv, 'cas', 'm', 'k', 'v1', 'v2')).toBe(false);
    expect(commits).toBe(1);
    expect(await call(kv, 'get', 'm', 'k')).toBe('v9');
    await kv.dispose();
  });

  it('merge: a raw write between read and commit is merged into, not lost', async () => {
    const kv = open();
    await call(kv, 'set', 'm', 'k', { a: 1 });
    interlude = () => raw.set(`${p}k`, '{"a":9}', 'KEEPTTL');
    expect(await call(kv, 'merge', 'm', 'k', { b: 2 })).toBe(true);
    expect(commits).toBe(2);
    expect(await call(kv, 'get', 'm', 'k')).toEqual(
      new Map<string, unknown>([
        ['a', 9],
        ['b', 2],
      ]),
    );
    await kv.dispose();
  });

  it('incr: a raw delete between read and commit counts from zero again, with exact counts', async () => {
    const kv = open(1);
    await call(kv, 'set', 'm', 'n', 41);
    interlude = () => raw.del(`${p}n`);
    expect(await call(kv, 'incr', 'm', 'n')).toBe(1);
    expect(await call(kv, 'keys', 'm')).toEqual(['n']);
    // maxEntries 1: the vanished value no longer counts, the new one does.
    expect(await call(kv, 'add', 'm', 'n', 5)).toBe(false);
    await expect(call(kv, 'set', 'm', 'other', 1)).rejects.toMatchObject({
      code: 'KV_TOO_MANY_ENTRIES',
    });
    await kv.dispose();
  });

  it('merge and cas loops lose nothing against a raw WATCH/MULTI writer on the same key', async () => {
    const kv = open();
    await call(kv, 'set', 'm', 'doc', {});
    await call(kv, 'set', 'm', 'n', 0);
    // The raw client's own optimistic read-modify-write (WATCH fails when a script wrote).
    const rawUpdate = async (key: string, change: (value: unknown) => unknown): Promise<void> => {
      for (;;) {
        await raw.watch(`${p}${key}`);
        const text = await raw.get(`${p}${key}`);
        const next = JSON.stringify(change(JSON.parse(text ?? 'null')));
        const done = await raw.multi().set(`${p}${key}`, next, 'KEEPTTL').exec();
        if (done !== null) return;
      }
    };
    const N = 40;
    const ours = async (): Promise<void> => {
      for (let i = 0; i < N; i++) {
        await call(kv, 'merge', 'm', 'doc', { [`e${i}`]: i });
        for (;;) {
          const current = (await call(kv, 'get', 'm', 'n')) as number;
          if ((await call(kv, 'cas', 'm', 'n', current, current + 1)) === true) break;
        }
      }
    };
    const theirs = async (): Promise<void> => {
      for (let i = 0; i < N; i++) {
        await rawUpdate('doc', (doc) => ({ ...(doc as object), [`r${i}`]: i }));
        await rawUpdate('n', (n) => (n as number) + 1);
      }
    };
    await Promise.all([ours(), theirs()]);
    const doc = (await call(kv, 'get', 'm', 'doc')) as Map<string, unknown>;
    expect(doc.size).toBe(2 * N);
    expect(await call(kv, 'get', 'm', 'n')).toBe(2 * N);
    await kv.dispose();
  });
});
