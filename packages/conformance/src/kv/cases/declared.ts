import { dict } from '../../harness/show-value.js';
import type { KvCaseRegistrar } from '../kv-case-registrar.js';
import type { CommonKvMountOptions } from '../kv-suite-types.js';

/** A schema with one key of every declarable type. */
export const SCHEMA = {
  name: { type: 'string', default: 'anon', description: 'display name' },
  visits: { type: 'number', default: 10 },
  on: { type: 'bool', default: false, description: 'enabled' },
  tags: { type: 'list', default: ['x'] },
  prefs: { type: 'dict', default: dict(['theme', 'dark']) },
} as const satisfies CommonKvMountOptions['schema'];

const DEFAULTS = dict(
  ['name', 'anon'],
  ['on', false],
  ['prefs', dict(['theme', 'dark'])],
  ['tags', ['x']],
  ['visits', 10],
);

const DECLARED = { cfg: { schema: SCHEMA } } as const;

/** §2 declared mode: defaults, listing, resets, type checks, undeclared keys. */
export function declaredCases(reg: KvCaseRegistrar): void {
  reg.test('every declared key reads its default until written', async (t) => {
    const kv = await t.open(DECLARED);
    for (const [key, value] of DEFAULTS) {
      await kv.expectCall(value, 'get', 'cfg', key);
      await kv.expectCall(value, 'get_or', 'cfg', key, 'fallback');
      await kv.expectCall(true, 'has', 'cfg', key);
    }
    await kv.call('set', 'cfg', 'name', 'bob');
    await kv.expectCall('bob', 'get', 'cfg', 'name');
    await kv.expectCall('bob', 'get_or', 'cfg', 'name', 'fallback');
  });

  reg.test('omitted defaults are the empty value of the type', async (t) => {
    const kv = await t.open({
      cfg: {
        schema: {
          s: { type: 'string' },
          n: { type: 'number' },
          b: { type: 'bool' },
          l: { type: 'list' },
          d: { type: 'dict' },
        },
      },
    });
    await kv.expectCall(
      dict(['b', false], ['d', dict()], ['l', []], ['n', 0], ['s', '']),
      'getAll',
      'cfg',
    );
  });

  reg.test('keys and getAll list every declared key, sorted, stored or not', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.expectCall(['name', 'on', 'prefs', 'tags', 'visits'], 'keys', 'cfg');
    await kv.expectCall(DEFAULTS, 'getAll', 'cfg');
    await kv.call('set', 'cfg', 'visits', 3);
    await kv.expectCall(
      dict(
        ['name', 'anon'],
        ['on', false],
        ['prefs', dict(['theme', 'dark'])],
        ['tags', ['x']],
        ['visits', 3],
      ),
      'getAll',
      'cfg',
    );
    await kv.expectCall(['prefs'], 'keys', 'cfg', 'p');
    await kv.expectCall(dict(['tags', ['x']]), 'getAll', 'cfg', 't');
    await kv.expectCall([], 'keys', 'cfg', 'zz');
  });

  reg.test('getMany returns declared keys with their values', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.call('set', 'cfg', 'name', 'bob');
    await kv.expectCall(dict(['visits', 10], ['name', 'bob']), 'getMany', 'cfg', [
      'visits',
      'name',
    ]);
    await kv.expectCall(dict(), 'getMany', 'cfg', []);
  });

  reg.test('undeclared keys fail with KV_UNDECLARED_KEY and change nothing', async (t) => {
    const kv = await t.open(DECLARED);
    const before = await kv.snapshot('cfg');
    for (const [fn, ...args] of [
      ['get', 'cfg', 'other'],
      ['get_or', 'cfg', 'other', 1],
      ['set', 'cfg', 'other', 1],
      ['merge', 'cfg', 'other', dict(['a', 1])],
      ['delete', 'cfg', 'other'],
      ['has', 'cfg', 'other'],
      ['add', 'cfg', 'other', 1],
      ['cas', 'cfg', 'other', 1, 2],
      ['incr', 'cfg', 'other'],
      // Declared names are exact.
      ['set', 'cfg', 'Name', 'x'],
      ['set', 'cfg', 'name ', 'x'],
      ['getMany', 'cfg', ['name', 'other']],
      ['setMany', 'cfg', dict(['name', 'ok'], ['other', 1])],
    ] as const) {
      await kv.fails('KV_UNDECLARED_KEY', fn, ...args);
    }
    t.expect(await kv.snapshot('cfg')).toBe(before);
  });

  reg.test('writes are type-checked with KV_TYPE_MISMATCH and change nothing', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.call('set', 'cfg', 'name', 'bob');
    const before = await kv.snapshot('cfg');
    const wrong = [
      ['name', 5],
      ['name', ['bob']],
      ['visits', '5'],
      ['visits', true],
      ['on', 'true'],
      ['on', 1],
      ['tags', dict()],
      ['tags', 'x'],
      ['prefs', []],
      ['prefs', 'dark'],
    ] as const;
    for (const [key, value] of wrong) {
      await kv.fails('KV_TYPE_MISMATCH', 'set', 'cfg', key, value);
      await kv.fails('KV_TYPE_MISMATCH', 'add', 'cfg', key, value);
      await kv.fails('KV_TYPE_MISMATCH', 'setMany', 'cfg', dict(['visits', 1], [key, value]));
    }
    await kv.fails('KV_TYPE_MISMATCH', 'cas', 'cfg', 'name', 'bob', 5);
    t.expect(await kv.snapshot('cfg')).toBe(before);
  });

  reg.test(
    'delete resets to the default and reports whether a stored value was removed',
    async (t) => {
      const kv = await t.open(DECLARED);
      await kv.expectCall(false, 'delete', 'cfg', 'name');
      await kv.call('set', 'cfg', 'name', 'bob');
      await kv.expectCall(true, 'delete', 'cfg', 'name');
      await kv.expectCall('anon', 'get', 'cfg', 'name');
      await kv.expectCall(true, 'has', 'cfg', 'name');
      await kv.expectCall(false, 'delete', 'cfg', 'name');
    },
  );

  reg.test('clear resets every listed key and returns how many keys it listed', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.call('set', 'cfg', 'name', 'bob');
    await kv.call('set', 'cfg', 'visits', 99);
    await kv.call('set', 'cfg', 'tags', ['a', 'b']);
    await kv.expectCall(1, 'clear', 'cfg', 't');
    await kv.expectCall(['x'], 'get', 'cfg', 'tags');
    await kv.expectCall('bob', 'get', 'cfg', 'name');
    await kv.expectCall(5, 'clear', 'cfg');
    await kv.expectCall(DEFAULTS, 'getAll', 'cfg');
    await kv.expectCall(5, 'clear', 'cfg');
  });

  reg.test('incr counts from the declared default', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.expectCall(11, 'incr', 'cfg', 'visits');
    await kv.expectCall(16, 'incr', 'cfg', 'visits', 5);
    await kv.fails('KV_NOT_A_NUMBER', 'incr', 'cfg', 'name');
    await kv.fails('KV_NOT_A_NUMBER', 'incr', 'cfg', 'tags');
  });

  reg.test('merge starts from the declared default dict', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.expectCall(true, 'merge', 'cfg', 'prefs', dict(['lang', 'en']));
    await kv.expectCall(dict(['theme', 'dark'], ['lang', 'en']), 'get', 'cfg', 'prefs');
    await kv.fails('KV_NOT_A_DICT', 'merge', 'cfg', 'name', dict(['a', 1]));
    await kv.fails('KV_NOT_A_DICT', 'merge', 'cfg', 'tags', dict(['a', 1]));
  });

  reg.test('cas compares against the default while nothing is stored', async (t) => {
    const kv = await t.open(DECLARED);
    await kv.expectCall(false, 'cas', 'cfg', 'name', '', 'x');
    await kv.expectCall(true, 'cas', 'cfg', 'name', 'anon', 'bob');
    await kv.expectCall('bob', 'get', 'cfg', 'name');
    await kv.expectCall(
      true,
      'cas',
      'cfg',
      'prefs',
      dict(['theme', 'dark']),
      dict(['theme', 'light']),
    );
    await kv.expectCall(dict(['theme', 'light']), 'get', 'cfg', 'prefs');
  });

  reg.test('schema() lists key, type, default and description in declaration order', async (t) => {
    const kv = await t.open(DECLARED);
    const schema = await kv.call('schema', 'cfg');
    t.expect(Array.isArray(schema)).toBe(true);
    const rows = schema as readonly ReadonlyMap<string, unknown>[];
    t.expect(rows.map((r) => r.get('key'))).toEqual(['name', 'visits', 'on', 'tags', 'prefs']);
    t.expect(rows.map((r) => r.get('type'))).toEqual(['string', 'number', 'bool', 'list', 'dict']);
    t.expect(rows.map((r) => r.get('description'))).toEqual([
      'display name',
      '',
      'enabled',
      '',
      '',
    ]);
    await kv.expectCall(
      dict(...rows.map((r) => [r.get('key') as string, r.get('default')] as const)),
      'getMany',
      'cfg',
      ['name', 'visits', 'on', 'tags', 'prefs'],
    );
    for (const row of rows)
      t.expect([...row.keys()].slice(0, 4)).toEqual(['key', 'type', 'default', 'description']);
  });

  reg.test('an expired or deleted declared key reads its default again', async (t) => {
    const kv = await t.open({ cfg: { schema: SCHEMA, ttl: t.ttl(1) } });
    await kv.call('set', 'cfg', 'visits', 1);
    await kv.expectCall(1, 'get', 'cfg', 'visits');
    await t.wait(1.4);
    await kv.expectCall(10, 'get', 'cfg', 'visits');
    await kv.expectCall(true, 'has', 'cfg', 'visits');
    await kv.expectCall(11, 'incr', 'cfg', 'visits');
  });
}
