import { dict } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';
import type { KvFunctionName } from '../kv-harness.js';

type Call = readonly [KvFunctionName, ...unknown[]];

/** Calls that only read (refused on write-only mounts). */
function readCalls(mount: string): readonly Call[] {
  return [
    ['get', mount, 'k'],
    ['get_or', mount, 'k', 0],
    ['has', mount, 'k'],
    ['keys', mount, ''],
    ['getAll', mount, ''],
    ['getMany', mount, ['k']],
  ];
}

/** Calls that only write (refused on read-only mounts, allowed on write-only ones). */
function writeCalls(mount: string): readonly Call[] {
  return [
    ['set', mount, 'k', 1],
    ['setMany', mount, dict(['k', 2], ['j', 3])],
    ['merge', mount, 'd', dict(['a', 1])],
    ['add', mount, 'a', 1],
    ['delete', mount, 'j'],
    ['clear', mount, 'zzz'],
  ];
}

/**
 * Calls that read and write: `cas` and `incr` reveal (or compare against) the stored value,
 * so they need both permissions.
 */
function readWriteCalls(mount: string): readonly Call[] {
  return [
    ['cas', mount, 'k', 1, 2],
    ['incr', mount, 'n', 1],
  ];
}

/** §2 modes: `read` blocks every write, `write` blocks every read. */
export function modesCases(reg: KvCaseRegistrar): void {
  reg.test('a read-only mount refuses every write with KV_READ_ONLY', async (t) => {
    const kv = await t.open({ ro: { mode: 'read' } });
    for (const [fn, ...args] of [...writeCalls('ro'), ...readWriteCalls('ro')]) {
      await kv.fails('KV_READ_ONLY', fn, ...args);
    }
    await kv.expectCall([], 'keys', 'ro');
  });

  reg.test('a read-only mount serves every read', async (t) => {
    const kv = await t.open({ ro: { mode: 'read' } });
    await kv.expectCall('', 'get', 'ro', 'k');
    await kv.expectCall(7, 'get_or', 'ro', 'k', 7);
    await kv.expectCall(false, 'has', 'ro', 'k');
    await kv.expectCall([], 'keys', 'ro');
    await kv.expectCall(dict(), 'getAll', 'ro');
    await kv.expectCall(dict(), 'getMany', 'ro', ['k']);
    await kv.expectCall([], 'schema', 'ro');
  });

  reg.test(
    'a read-only mount reads data written earlier',
    async (t) => {
      const writer = await t.open({ m: {} });
      await writer.call('setMany', 'm', dict(['a', 1], ['b', dict(['c', [2]])]));
      await writer.dispose();
      const kv = await t.open({ m: { mode: 'read' } });
      await kv.expectCall(1, 'get', 'm', 'a');
      await kv.expectCall(dict(['c', [2]]), 'get_or', 'm', 'b', 0);
      await kv.expectCall(true, 'has', 'm', 'a');
      await kv.expectCall(['a', 'b'], 'keys', 'm');
      await kv.expectCall(dict(['a', 1], ['b', dict(['c', [2]])]), 'getAll', 'm');
      await kv.expectCall(dict(['b', dict(['c', [2]])]), 'getMany', 'm', ['b', 'x']);
      await kv.fails('KV_READ_ONLY', 'delete', 'm', 'a');
      await kv.fails('KV_READ_ONLY', 'clear', 'm');
      await kv.expectCall(['a', 'b'], 'keys', 'm');
    },
    reg.persistent,
  );

  reg.test('a write-only mount refuses every read with KV_WRITE_ONLY', async (t) => {
    const kv = await t.open({ wo: { mode: 'write' } });
    await kv.call('set', 'wo', 'k', 1);
    for (const [fn, ...args] of [...readCalls('wo'), ...readWriteCalls('wo')]) {
      await kv.fails('KV_WRITE_ONLY', fn, ...args);
    }
  });

  reg.test('a write-only mount accepts every write', async (t) => {
    const kv = await t.open({ wo: { mode: 'write' }, rw: {} });
    await kv.expectCall(true, 'set', 'wo', 'k', 1);
    await kv.expectCall(true, 'setMany', 'wo', dict(['k', 2], ['j', 3]));
    await kv.expectCall(true, 'merge', 'wo', 'd', dict(['a', 1]));
    await kv.expectCall(true, 'add', 'wo', 'a', 1);
    await kv.expectCall(false, 'add', 'wo', 'a', 2);
    await kv.expectCall(true, 'delete', 'wo', 'j');
    await kv.expectCall(false, 'delete', 'wo', 'j');
    await kv.expectCall(3, 'clear', 'wo');
    await kv.expectCall(0, 'clear', 'wo');
    await kv.expectCall([], 'schema', 'wo');
  });

  reg.test(
    'a write-only mount stores what a read-only view later reads',
    async (t) => {
      const writer = await t.open({ m: { mode: 'write' } });
      await writer.call('set', 'm', 'k', [1, 'two']);
      await writer.call('merge', 'm', 'd', dict(['a', 1]));
      await writer.dispose();
      const reader = await t.open({ m: { mode: 'read' } });
      await reader.expectCall(dict(['d', dict(['a', 1])], ['k', [1, 'two']]), 'getAll', 'm');
    },
    reg.persistent,
  );

  reg.test('modes of one mount do not leak into another', async (t) => {
    const kv = await t.open({ ro: { mode: 'read' }, wo: { mode: 'write' }, rw: {} });
    await kv.fails('KV_READ_ONLY', 'set', 'ro', 'k', 1);
    await kv.fails('KV_WRITE_ONLY', 'get', 'wo', 'k');
    await kv.expectCall(true, 'set', 'rw', 'k', 1);
    await kv.expectCall(1, 'get', 'rw', 'k');
  });

  reg.test('declared mounts honour modes too', async (t) => {
    const schema = { n: { type: 'number', default: 1 } } as const;
    const kv = await t.open({ ro: { mode: 'read', schema }, wo: { mode: 'write', schema } });
    await kv.expectCall(1, 'get', 'ro', 'n');
    await kv.fails('KV_READ_ONLY', 'set', 'ro', 'n', 2);
    await kv.fails('KV_READ_ONLY', 'delete', 'ro', 'n');
    await kv.fails('KV_WRITE_ONLY', 'get', 'wo', 'n');
    await kv.fails('KV_WRITE_ONLY', 'keys', 'wo');
    await kv.expectCall(true, 'set', 'wo', 'n', 2);
    const schemaRows = await kv.call('schema', 'wo');
    t.expect((schemaRows as readonly unknown[]).length).toBe(1);
  });
}
