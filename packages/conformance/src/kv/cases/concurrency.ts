import type { RillValue } from '@rillkit/core';
import { dict, showValue } from '../../harness/show-value.js';
import { yieldToEventLoop } from '../../harness/sleep.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';

const N = 50;

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** §3 atomicity within a process: incr, cas, add, merge, setMany under contention. */
export function concurrencyCases(reg: KvCaseRegistrar): void {
  reg.test(`${N} concurrent incr in one script (map) count exactly`, async (t) => {
    const kv = await t.open({ m: {} });
    const items = Array.from({ length: N }, (_, i) => i);
    const result = await kv.run('$items -> map { kv::incr("m", "n") }', { items });
    // Every incr returned a distinct intermediate count.
    t.expect([...(result as readonly number[])].sort((a, b) => a - b)).toEqual(range(N));
    await kv.expectCall(N, 'get', 'm', 'n');
  });

  reg.test(`${N} concurrent incr from separate executes count exactly`, async (t) => {
    const kv = await t.open({ m: {} });
    const results = await Promise.all(range(N).map(() => kv.run('kv::incr("m", "n")')));
    t.expect([...(results as number[])].sort((a, b) => a - b)).toEqual(range(N));
    await kv.expectCall(N, 'get', 'm', 'n');
  });

  reg.test(`${N} concurrent direct incr calls count exactly`, async (t) => {
    const kv = await t.open({ m: {} });
    const results = await Promise.all(range(N).map(() => kv.direct('incr', 'm', 'n', 2)));
    t.expect([...(results as number[])].sort((a, b) => a - b)).toEqual(range(N).map((i) => i * 2));
    await kv.expectCall(N * 2, 'get', 'm', 'n');
  });

  reg.test('concurrent cas from the same expected value: exactly one wins', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', dict(['v', 0]));
    const wins = await Promise.all(
      range(20).map((i) =>
        i % 2 === 0
          ? kv.direct('cas', 'm', 'k', dict(['v', 0]), i)
          : kv.script('cas', 'm', 'k', dict(['v', 0]), i),
      ),
    );
    t.expect(wins.filter((w) => w === true).length).toBe(1);
    await kv.expectCall(wins.indexOf(true) + 1, 'get', 'm', 'k');
  });

  reg.test('a cas loop in concurrent scripts loses no update', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'n', 0);
    // Optimistic increment: read, try cas, retry until it wins.
    const source = [
      'false -> ($ == false) @ {',
      '  kv::get("m", "n") => $cur',
      '  kv::cas("m", "n", $cur, $cur + 1)',
      '}',
    ].join('\n');
    await Promise.all(range(10).map(() => kv.run(source)));
    await kv.expectCall(10, 'get', 'm', 'n');
  });

  reg.test('concurrent add of one key: exactly one wins', async (t) => {
    const kv = await t.open({ m: {} });
    const items = range(20);
    const result = (await kv.run('$items -> map { kv::add("m", "k", $) }', {
      items,
    })) as readonly boolean[];
    t.expect(result.filter((w) => w).length).toBe(1);
    await kv.expectCall(items[result.indexOf(true)], 'get', 'm', 'k');
  });

  reg.test('concurrent delete and clear remove each key exactly once', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', 1);
    const deleted = await Promise.all(range(10).map(() => kv.call('delete', 'm', 'k')));
    t.expect(deleted.filter((d) => d === true).length).toBe(1);
    await kv.call('setMany', 'm', dict(...range(20).map((i) => [`k${i}`, i] as const)));
    const counts = (await Promise.all(range(5).map(() => kv.call('clear', 'm')))) as number[];
    t.expect(counts.reduce((a, b) => a + b, 0)).toBe(20);
  });

  reg.test('concurrent merges of different fields keep every field', async (t) => {
    const kv = await t.open({ m: {} });
    await Promise.all(range(20).map((i) => kv.call('merge', 'm', 'k', dict([`f${i}`, i]))));
    const value = (await kv.call('get', 'm', 'k')) as ReadonlyMap<string, RillValue>;
    t.expect(value.size).toBe(20);
    for (const i of range(20)) t.expect(value.get(`f${i}`)).toBe(i);
  });

  reg.test('setMany is atomic for concurrent readers', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('setMany', 'm', dict(['a', 0], ['b', 0], ['c', 0]));
    let writing = true;
    const writer = (async () => {
      for (let i = 1; i <= 15; i++)
        await kv.direct('setMany', 'm', dict(['a', i], ['b', i], ['c', i]));
      writing = false;
    })();
    const torn: string[] = [];
    const reader = (async () => {
      while (writing) {
        await yieldToEventLoop();
        const [many, all] = await Promise.all([
          kv.direct('getMany', 'm', ['a', 'b', 'c']),
          kv.direct('getAll', 'm'),
        ]);
        for (const snapshot of [many, all] as ReadonlyMap<string, RillValue>[]) {
          if (new Set(snapshot.values()).size !== 1) torn.push(showValue(snapshot));
        }
      }
    })();
    await Promise.all([writer, reader]);
    t.expect(torn).toEqual([]);
    await kv.expectCall(dict(['a', 15], ['b', 15], ['c', 15]), 'getAll', 'm');
  });

  reg.test(
    'two instances over one store stay atomic',
    async (t) => {
      const one = await t.open({ m: {} });
      const two = await t.open({ m: {} });
      await Promise.all(range(40).map((i) => (i % 2 === 0 ? one : two).direct('incr', 'm', 'n')));
      await one.expectCall(40, 'get', 'm', 'n');
      await two.expectCall(40, 'get', 'm', 'n');
      const wins = await Promise.all(
        range(10).map((i) => (i % 2 === 0 ? one : two).direct('add', 'm', 'k', i)),
      );
      t.expect(wins.filter((w) => w === true).length).toBe(1);
    },
    reg.sharedInstances,
  );

  reg.test(
    "instances over one store see each other's writes at once",
    async (t) => {
      const one = await t.open({ m: {} });
      const two = await t.open({ m: {} });
      await one.call('set', 'm', 'k', 1);
      await two.expectCall(1, 'get', 'm', 'k');
      await two.call('set', 'm', 'k', 2);
      await one.expectCall(2, 'get', 'm', 'k');
      await two.call('delete', 'm', 'k');
      await one.expectCall(false, 'has', 'm', 'k');
      await one.call('setMany', 'm', dict(['a', 1], ['b', 2]));
      await two.expectCall(2, 'clear', 'm');
      await one.expectCall([], 'keys', 'm');
    },
    reg.sharedInstances,
  );

  reg.test(
    'limits hold across instances over one store',
    async (t) => {
      const one = await t.open({ m: { maxEntries: 3, maxStoreSize: 1000 } });
      const two = await t.open({ m: { maxEntries: 3, maxStoreSize: 1000 } });
      await one.call('setMany', 'm', dict(['a', 1], ['b', 1]));
      await two.call('set', 'm', 'c', 1);
      await one.fails('KV_TOO_MANY_ENTRIES', 'set', 'm', 'd', 1);
      await two.fails('KV_TOO_MANY_ENTRIES', 'add', 'm', 'd', 1);
      await two.call('delete', 'm', 'a');
      await one.expectCall(true, 'set', 'm', 'd', 'x'.repeat(900));
      await two.fails('KV_STORE_TOO_LARGE', 'set', 'm', 'b', 'x'.repeat(100));
    },
    reg.sharedInstances,
  );

  reg.test(
    'reads through one instance never miss a same-size write through another',
    async (t) => {
      const one = await t.open({ m: {} });
      const two = await t.open({ m: {} });
      for (let i = 0; i < 40; i++) {
        const [writer, reader] = i % 2 === 0 ? [one, two] : [two, one];
        const value = `v${String(i).padStart(4, '0')}`;
        await writer.direct('set', 'm', 'k', value);
        await reader.expectCall(value, 'get', 'm', 'k');
      }
    },
    reg.sharedInstances,
  );
}
