import type { RillValue } from '@rillkit/core';
import { dict, showValue } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';
import { SCHEMA } from './declared.js';
import { TORTURE_KEYS } from './keys.js';
import { ROUND_TRIP_VALUES } from './values.js';

/** Invalid common mount options, each with the field the error must name. */
const INVALID_OPTIONS: readonly (readonly [field: string, options: Record<string, unknown>])[] = [
  ['mode', { mode: 'rw' }],
  ['mode', { mode: 5 }],
  ['maxEntries', { maxEntries: 0 }],
  ['maxEntries', { maxEntries: -1 }],
  ['maxEntries', { maxEntries: 1.5 }],
  ['maxEntries', { maxEntries: '10' }],
  ['maxValueSize', { maxValueSize: 0 }],
  ['maxValueSize', { maxValueSize: Number.NaN }],
  ['maxStoreSize', { maxStoreSize: -5 }],
  ['ttl', { ttl: 0 }],
  ['ttl', { ttl: -1 }],
  ['ttl', { ttl: 'soon' }],
  ['ttl', { ttl: Number.POSITIVE_INFINITY }],
  ['ttl', { ttl: 1e10 + 1 }],
  ['ttl', { ttl: 1e306 }],
  ['writePolicy', { writePolicy: 'later' }],
  ['schema', { schema: 'x' }],
  ['schema', { schema: { k: { type: 'float' } } }],
  ['schema', { schema: { k: { type: 'closure' } } }],
  ['schema', { schema: { k: { type: 'number', default: 'zero' } } }],
  ['schema', { schema: { k: { type: 'dict', default: [] } } }],
  ['schema', { schema: { '': { type: 'string' } } }],
  ['schema', { schema: { ['k'.repeat(1025)]: { type: 'string' } } }],
  ['schema', { schema: { k: { type: 'string', colour: 'blue' } } }],
  ['colour', { colour: 'blue' }],
];

/** §1/§2 lifecycle: config validation, dispose, write policies, persistence, mounts(). */
export function lifecycleCases(reg: KvCaseRegistrar): void {
  reg.test('invalid mount options fail with KV_INVALID_CONFIG naming the field', async (t) => {
    for (const [field, options] of INVALID_OPTIONS) {
      const err = await t.openFails('KV_INVALID_CONFIG', { m: options });
      const named =
        err.message.includes(field) || String(err.details['field'] ?? '').includes(field);
      t.expect(named, `error for ${JSON.stringify(options)} names ${field}: ${err.message}`).toBe(
        true,
      );
    }
  });

  reg.test('dispose is idempotent, also when called concurrently', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', 1);
    t.expect(await Promise.all([kv.dispose(), kv.dispose()])).toEqual([undefined, undefined]);
    t.expect(await kv.dispose()).toBeUndefined();
  });

  reg.test('calls after dispose fail with KV_BACKEND_UNAVAILABLE', async (t) => {
    const kv = await t.open({ m: {} });
    await kv.call('set', 'm', 'k', 1);
    await kv.dispose();
    await kv.fails('KV_BACKEND_UNAVAILABLE', 'get', 'm', 'k');
    await kv.fails('KV_BACKEND_UNAVAILABLE', 'set', 'm', 'k', 2);
  });

  reg.test(
    'writes are durable before the call returns (immediate policy)',
    async (t) => {
      const writer = await t.open({ m: {} });
      await writer.call('set', 'm', 'k', dict(['v', 1]));
      await writer.call('incr', 'm', 'n');
      const reader = await t.open({ m: { mode: 'read' } });
      await reader.expectCall(dict(['k', dict(['v', 1])], ['n', 1]), 'getAll', 'm');
    },
    reg.persistent,
  );

  reg.test(
    'writePolicy dispose: writes are readable at once and persisted at dispose',
    async (t) => {
      const kv = await t.open({ m: { writePolicy: 'dispose' } });
      await kv.call('set', 'm', 'a', 1);
      await kv.call('setMany', 'm', dict(['b', 2], ['c', 3]));
      await kv.call('incr', 'm', 'a');
      await kv.call('delete', 'm', 'c');
      await kv.expectCall(dict(['a', 2], ['b', 2]), 'getAll', 'm');
      await kv.dispose();
      if (t.supports.persistent === true) {
        const again = await t.open({ m: {} });
        await again.expectCall(dict(['a', 2], ['b', 2]), 'getAll', 'm');
      }
    },
    reg.writePolicyDispose,
  );

  reg.test(
    'limits, ttl and atomicity hold under writePolicy dispose',
    async (t) => {
      const kv = await t.open({ m: { writePolicy: 'dispose', maxEntries: 2, maxValueSize: 10 } });
      await kv.call('set', 'm', 'a', 1, dict(['ttl', t.ttl(1.2)]));
      await kv.call('set', 'm', 'b', 1);
      await kv.fails('KV_TOO_MANY_ENTRIES', 'set', 'm', 'c', 1);
      await kv.fails('KV_VALUE_TOO_LARGE', 'set', 'm', 'b', 'x'.repeat(9));
      const counts = await Promise.all(
        Array.from({ length: 20 }, () => kv.direct('incr', 'm', 'b')),
      );
      t.expect(Math.max(...(counts as number[]))).toBe(21);
      await t.wait(1.7);
      await kv.expectCall(['b'], 'keys', 'm');
      await kv.expectCall(true, 'set', 'm', 'c', 1);
    },
    reg.writePolicyDispose,
  );

  reg.test(
    'writePolicy dispose is refused with KV_INVALID_CONFIG when unsupported',
    async (t) => {
      await t.openFails('KV_INVALID_CONFIG', { m: { writePolicy: 'dispose' } });
    },
    {
      met: reg.options.supports?.writePolicyDispose === false,
      reason: 'the backend declares supports.writePolicyDispose other than false',
    },
  );

  reg.test(
    'a stored value that no longer matches its declaration fails with KV_TYPE_MISMATCH',
    async (t) => {
      const writer = await t.open({ cfg: {} });
      await writer.call('setMany', 'cfg', dict(['name', 'bob'], ['visits', 'many'], ['old', 1]));
      await writer.dispose();
      const kv = await t.open({ cfg: { schema: SCHEMA } });
      await kv.expectCall('bob', 'get', 'cfg', 'name');
      await kv.fails('KV_TYPE_MISMATCH', 'get', 'cfg', 'visits');
      await kv.fails('KV_TYPE_MISMATCH', 'incr', 'cfg', 'visits');
      await kv.expectCall(['name', 'on', 'prefs', 'tags', 'visits'], 'keys', 'cfg');
      await kv.fails('KV_UNDECLARED_KEY', 'get', 'cfg', 'old');
      await kv.expectCall(true, 'set', 'cfg', 'visits', 3);
      await kv.expectCall(3, 'get', 'cfg', 'visits');
    },
    reg.persistent,
  );

  reg.test(
    'clear in declared mode deletes exactly what keys lists, not undeclared data',
    async (t) => {
      const writer = await t.open({ cfg: {} });
      await writer.call('setMany', 'cfg', dict(['name', 'bob'], ['old', 1], ['prefs-v1', 'x']));
      await writer.dispose();
      const declared = await t.open({ cfg: { schema: SCHEMA } });
      await declared.expectCall(['name', 'on', 'prefs', 'tags', 'visits'], 'keys', 'cfg');
      await declared.expectCall(1, 'clear', 'cfg', 'p');
      await declared.expectCall(5, 'clear', 'cfg');
      await declared.expectCall('anon', 'get', 'cfg', 'name');
      await declared.dispose();
      const open = await t.open({ cfg: {} });
      await open.expectCall(['old', 'prefs-v1'], 'keys', 'cfg');
    },
    reg.persistent,
  );

  reg.test(
    'every value and torture key survives dispose and reopen exactly',
    async (t) => {
      const writer = await t.open({ v: {}, k: {} });
      for (const [label, value] of ROUND_TRIP_VALUES) await writer.call('set', 'v', label, value);
      await writer.call('setMany', 'k', dict(...TORTURE_KEYS.map((k) => [k, k] as const)));
      await writer.dispose();
      const reader = await t.open({ v: {}, k: {} });
      const sortedLabels = ROUND_TRIP_VALUES.map(([label]) => label).sort();
      const expected = new Map(ROUND_TRIP_VALUES);
      await reader.expectCall(
        dict(...sortedLabels.map((l) => [l, expected.get(l)] as const)),
        'getAll',
        'v',
      );
      await reader.expectCall([...TORTURE_KEYS].sort(), 'keys', 'k');
      for (const key of TORTURE_KEYS) await reader.expectCall(key, 'get', 'k', key);
    },
    reg.persistent,
  );

  reg.test(
    'declared defaults are not written to storage',
    async (t) => {
      const writer = await t.open({ cfg: { schema: SCHEMA } });
      await writer.call('set', 'cfg', 'name', 'bob');
      await writer.dispose();
      // Reopened in open mode: only the stored key exists.
      const reader = await t.open({ cfg: {} });
      await reader.expectCall(dict(['name', 'bob']), 'getAll', 'cfg');
    },
    reg.persistent,
  );

  reg.test('mounts() describes every mount and reveals no secrets', async (t) => {
    const kv = await t.open({
      a: {},
      b: { mode: 'read' },
      c: { mode: 'write', schema: SCHEMA, ttl: 60, maxEntries: 5 },
    });
    const list = (await kv.call('mounts')) as readonly ReadonlyMap<string, RillValue>[];
    t.expect(Array.isArray(list)).toBe(true);
    const byName = new Map(list.map((m) => [m.get('name'), m]));
    t.expect([...byName.keys()].sort()).toEqual(['a', 'b', 'c']);
    const modes = { a: 'read-write', b: 'read', c: 'write' } as const;
    for (const [name, mode] of Object.entries(modes)) {
      const row = byName.get(name);
      t.expect(row?.get('mode'), `mode of ${name}`).toBe(mode);
      const backend = row?.get('backend');
      t.expect(typeof backend === 'string' && backend.length > 0, `backend of ${name}`).toBe(true);
      if (t.backendName !== undefined) t.expect(backend).toBe(t.backendName);
    }
    t.checkSecrets(showValue(list));
    // The same answer through a script, with no arguments.
    const viaScript = await kv.run('kv::mounts()');
    t.expect(showValue(viaScript)).toBe(showValue(list));
  });
}
