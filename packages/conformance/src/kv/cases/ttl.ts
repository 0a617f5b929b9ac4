import { dict } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';

/**
 * TTLs in seconds (scaled by `ttlScale`). `SHORT` is for keys that are only checked once
 * expired; `LONG` for keys that must still be alive a few calls after their write (a slow,
 * fsync-bound store on a busy machine takes ~100 ms per call). Waits add a margin.
 */
const SHORT = 0.5;
const AFTER_SHORT = 0.9;
const LONG = 1.2;
const AFTER_LONG = 1.7;

/** §2/§3 TTL: mount default, per-call `opts.ttl`; an expired key is absent everywhere. */
export function ttlCases(reg: KvCaseRegistrar): void {
  reg.test('mount ttl: an expired key is absent for every function', async (t) => {
    const kv = await t.open({ m: { ttl: t.ttl(LONG) } });
    await kv.call('setMany', 'm', dict(['a', 1], ['b', dict(['x', 1])], ['c', 'x'], ['n', 5]));
    await kv.call('set', 'm', 'd', 'also');
    await kv.expectCall(['a', 'b', 'c', 'd', 'n'], 'keys', 'm');
    await t.wait(AFTER_LONG);
    await kv.expectCall('', 'get', 'm', 'a');
    await kv.expectCall('fb', 'get_or', 'm', 'a', 'fb');
    await kv.expectCall(false, 'has', 'm', 'b');
    await kv.expectCall([], 'keys', 'm');
    await kv.expectCall([], 'keys', 'm', 'a');
    await kv.expectCall(dict(), 'getAll', 'm');
    await kv.expectCall(dict(), 'getMany', 'm', ['a', 'b', 'c', 'd', 'n']);
    await kv.expectCall(false, 'cas', 'm', 'c', 'x', 'y');
    await kv.expectCall(false, 'delete', 'm', 'd');
    await kv.expectCall(0, 'clear', 'm');
    // Writes see the key as absent: incr restarts at 0, add wins, merge starts afresh.
    await kv.expectCall(1, 'incr', 'm', 'n');
    await kv.expectCall(true, 'add', 'm', 'a', 'again');
    await kv.expectCall(true, 'merge', 'm', 'b', dict(['y', 2]));
    await kv.expectCall(dict(['y', 2]), 'get', 'm', 'b');
  });

  reg.test('opts.ttl expires one write on a mount without ttl', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.expectCall(true, 'set', 'm', 'stay', 3);
    await kv.expectCall(true, 'set', 'm', 'empty-opts', 4, dict());
    await kv.expectCall(true, 'set', 'm', 'gone', 1, dict(['ttl', t.ttl(LONG)]));
    await kv.expectCall(true, 'add', 'm', 'added', 2, dict(['ttl', t.ttl(LONG)]));
    await kv.expectCall(['added', 'empty-opts', 'gone', 'stay'], 'keys', 'm');
    await t.wait(AFTER_LONG);
    await kv.expectCall(['empty-opts', 'stay'], 'keys', 'm');
    await kv.expectCall(2, 'clear', 'm');
  });

  reg.test('opts.ttl overrides the mount default both ways', async (t) => {
    const kv = await t.open({ long: { ttl: 3600 }, short: { ttl: t.ttl(SHORT) } });
    await kv.call('set', 'long', 'default', 2);
    await kv.call('set', 'short', 'kept', 3, dict(['ttl', 3600]));
    await kv.call('add', 'short', 'added', 4, dict(['ttl', 3600]));
    await kv.call('set', 'long', 'brief', 1, dict(['ttl', t.ttl(SHORT)]));
    await kv.call('set', 'short', 'default', 5);
    await t.wait(AFTER_SHORT);
    await kv.expectCall(['default'], 'keys', 'long');
    await kv.expectCall(['added', 'kept'], 'keys', 'short');
  });

  reg.test(
    'each set decides its own expiry: overwriting without ttl makes a key permanent',
    async (t) => {
      const kv = await t.open({ m: {} });
      await kv.call('set', 'm', 'k', 1, dict(['ttl', t.ttl(SHORT)]));
      await kv.call('set', 'm', 'k', 2);
      await kv.call('set', 'm', 'j', 1);
      await kv.call('set', 'm', 'j', 2, dict(['ttl', t.ttl(SHORT)]));
      await kv.call('set', 'm', 's', 1, dict(['ttl', t.ttl(SHORT)]));
      await kv.call('setMany', 'm', dict(['s', 2]));
      await t.wait(AFTER_SHORT);
      // Writes that add keys are where backends drop expired ones: k and s must survive it.
      await kv.call('set', 'm', 'fresh', 1);
      await kv.call('setMany', 'm', dict(['fresh-2', 1]));
      await kv.expectCall(2, 'get', 'm', 'k');
      await kv.expectCall(2, 'get', 'm', 's');
      await kv.expectCall(false, 'has', 'm', 'j');
      await kv.expectCall(['fresh', 'fresh-2', 'k', 's'], 'keys', 'm');
    },
  );

  reg.test('setMany, merge and incr apply the mount ttl to new keys', async (t) => {
    const kv = await t.open({ m: { ttl: t.ttl(SHORT) } });
    await kv.expectCall(true, 'setMany', 'm', dict(['a', 1]));
    await kv.expectCall(true, 'merge', 'm', 'd', dict(['x', 1]));
    await kv.expectCall(1, 'incr', 'm', 'n');
    await t.wait(AFTER_SHORT);
    await kv.expectCall([], 'keys', 'm');
  });

  reg.test('expired keys do not count toward maxEntries or maxStoreSize', async (t) => {
    const kv = await t.open({ e: { maxEntries: 2 }, s: { maxStoreSize: 10 } });
    const opts = dict(['ttl', t.ttl(LONG)]);
    await kv.call('set', 'e', 'a', 1, opts);
    await kv.call('set', 'e', 'b', 1, opts);
    await kv.fails('KV_TOO_MANY_ENTRIES', 'set', 'e', 'c', 1);
    await kv.call('set', 's', 'a', 'xxxxxx', opts); // 1 + 8 = 9
    await kv.fails('KV_STORE_TOO_LARGE', 'set', 's', 'b', 1);
    await t.wait(AFTER_LONG);
    await kv.expectCall(true, 'set', 'e', 'c', 1);
    await kv.expectCall(true, 'set', 'e', 'd', 1);
    await kv.expectCall(true, 'set', 's', 'b', 'xxxxxx');
  });

  reg.test('clear counts only unexpired keys', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'a2', 1);
    await kv.call('set', 'm', 'b', 1);
    await kv.call('set', 'm', 'a1', 1, dict(['ttl', t.ttl(SHORT)]));
    await t.wait(AFTER_SHORT);
    await kv.expectCall(1, 'clear', 'm', 'a');
    await kv.expectCall(1, 'clear', 'm');
  });

  reg.test('add races on an expired key have exactly one winner', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', 'old', dict(['ttl', t.ttl(SHORT)]));
    await t.wait(AFTER_SHORT);
    const wins = await Promise.all(
      Array.from({ length: 10 }, (_, i) => kv.call('add', 'm', 'k', i)),
    );
    t.expect(wins.filter((w) => w === true).length).toBe(1);
    await kv.expectCall(wins.indexOf(true), 'get', 'm', 'k');
  });

  reg.test('incr and merge keep the expiry of an existing key', async (t) => {
    const kv = await t.open({ m: {} });
    const opts = dict(['ttl', t.ttl(LONG)]);
    await kv.call('set', 'm', 'n', 1, opts);
    await kv.expectCall(2, 'incr', 'm', 'n');
    await kv.call('set', 'm', 'd', dict(['a', 1]), opts);
    await kv.expectCall(true, 'merge', 'm', 'd', dict(['b', 2]));
    await kv.expectCall(dict(['a', 1], ['b', 2]), 'get', 'm', 'd');
    await t.wait(AFTER_LONG);
    await kv.expectCall([], 'keys', 'm');
  });

  reg.test('cas writes its new value with the mount ttl', async (t) => {
    const kv = await t.open({ m: { ttl: t.ttl(SHORT) }, p: {} });
    await kv.call('set', 'm', 'k', 1, dict(['ttl', 3600]));
    await kv.expectCall(true, 'cas', 'm', 'k', 1, 2);
    await kv.call('set', 'p', 'k', 1, dict(['ttl', t.ttl(LONG)]));
    await kv.expectCall(true, 'cas', 'p', 'k', 1, 2);
    await t.wait(AFTER_LONG);
    await kv.expectCall(false, 'has', 'm', 'k');
    await kv.expectCall(2, 'get', 'p', 'k');
  });

  reg.test('a very long ttl is honoured', async (t) => {
    const kv = await t.open({ m: { ttl: 1e9 }, n: {} });
    await kv.expectCall(true, 'set', 'm', 'k', 1);
    await kv.expectCall(true, 'set', 'n', 'k', 1, dict(['ttl', 1e9]));
    await kv.expectCall(true, 'add', 'n', 'j', 1, dict(['ttl', 315_360_000]));
    await kv.expectCall(['k'], 'keys', 'm');
    await kv.expectCall(['j', 'k'], 'keys', 'n');
    await kv.expectCall(2, 'incr', 'm', 'k');
  });

  reg.test(
    'the longest ttl (1e10 s) is stored, survives dispose and is honoured after reopening',
    async (t) => {
      const writer = await t.open({ m: { ttl: 1e10 }, n: {} });
      await writer.call('set', 'm', 'k', 1);
      await writer.call('set', 'n', 'keep', 'important');
      await writer.call('set', 'n', 'k', 1, dict(['ttl', 1e10]));
      await writer.dispose();
      const reader = await t.open({ m: { ttl: 1e10 }, n: {} });
      await reader.expectCall(['k'], 'keys', 'm');
      await reader.expectCall(['k', 'keep'], 'keys', 'n');
      await reader.expectCall('important', 'get', 'n', 'keep');
      await reader.expectCall(2, 'incr', 'n', 'k');
    },
    reg.persistent,
  );

  reg.test(
    'a ttl survives dispose and expires after reopening',
    async (t) => {
      const writer = await t.open({ m: {} });
      await writer.call('set', 'm', 'stay', 1);
      await writer.call('set', 'm', 'brief', 1, dict(['ttl', t.ttl(LONG)]));
      await writer.dispose();
      const reader = await t.open({ m: {} });
      await reader.expectCall(['brief', 'stay'], 'keys', 'm');
      await t.wait(AFTER_LONG);
      await reader.expectCall(['stay'], 'keys', 'm');
      await reader.expectCall(false, 'has', 'm', 'brief');
    },
    reg.persistent,
  );
}
