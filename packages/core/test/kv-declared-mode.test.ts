import { describe, expect, it } from 'vitest';
import { harness, plain } from './kv-test-backend.js';

const schema = {
  name: { type: 'string' as const, default: 'anon', description: 'display name' },
  visits: { type: 'number' as const },
  profile: { type: 'dict' as const, default: { lang: 'en' } },
  tags: { type: 'list' as const },
  active: { type: 'bool' as const, default: true },
};

describe('kv declared mode (STORAGE.md §2)', () => {
  it('every declared key has its default until set; has is always true', async () => {
    const h = harness({ d: { schema } });
    expect(await h.call('get', 'd', 'name')).toBe('anon');
    expect(await h.call('get', 'd', 'visits')).toBe(0);
    expect(await h.call('get', 'd', 'tags')).toEqual([]);
    expect(await h.call('get', 'd', 'active')).toBe(true);
    expect(await h.call('get_or', 'd', 'visits', 99)).toBe(0);
    for (const k of Object.keys(schema)) expect(await h.call('has', 'd', k)).toBe(true);
  });

  it('keys/getAll list every declared key, sorted, stored or not', async () => {
    const h = harness({ d: { schema } });
    await h.call('set', 'd', 'visits', 3);
    expect(await h.call('keys', 'd')).toEqual(['active', 'name', 'profile', 'tags', 'visits']);
    expect(await h.call('keys', 'd', 'p')).toEqual(['profile']);
    expect(plain(await h.call('getAll', 'd'))).toEqual([
      ['active', true],
      ['name', 'anon'],
      ['profile', [['lang', 'en']]],
      ['tags', []],
      ['visits', 3],
    ]);
    expect(plain(await h.call('getMany', 'd', ['visits', 'name']))).toEqual([
      ['visits', 3],
      ['name', 'anon'],
    ]);
  });

  it('delete resets to the default and says whether a stored value was removed', async () => {
    const h = harness({ d: { schema } });
    expect(await h.call('delete', 'd', 'name')).toBe(false);
    await h.call('set', 'd', 'name', 'Zoe');
    expect(await h.call('delete', 'd', 'name')).toBe(true);
    expect(await h.call('get', 'd', 'name')).toBe('anon');
  });

  it('clear resets every listed key and returns how many keys it lists', async () => {
    const h = harness({ d: { schema } });
    await h.call('set', 'd', 'name', 'Zoe');
    await h.call('set', 'd', 'visits', 9);
    expect(await h.call('clear', 'd', 'n')).toBe(1);
    expect(await h.call('get', 'd', 'name')).toBe('anon');
    expect(await h.call('get', 'd', 'visits')).toBe(9);
    expect(await h.call('clear', 'd')).toBe(5);
    expect(await h.call('get', 'd', 'visits')).toBe(0);
    expect(await h.call('clear', 'd', 'zzz')).toBe(0);
  });

  it('clear deletes only the declared keys it lists, in one call, and keeps undeclared data', async () => {
    const h = harness({ d: { schema } });
    const b = h.backends.get('d');
    if (b === undefined) throw new Error('no backend');
    // Data the schema does not declare, e.g. written by an open-mode mount of the same store.
    for (const [k, v] of [
      ['name', '"Zoe"'],
      ['nickname', '"z"'],
      ['old', '1'],
      ['profile-v1', '[]'],
    ] as const)
      b.records.set(k, { value: v, expiresAt: undefined });
    expect(await h.call('keys', 'd', 'n')).toEqual(['name']);
    expect(await h.call('clear', 'd', 'n')).toBe(1);
    expect(await h.call('get', 'd', 'name')).toBe('anon');
    expect(await h.call('clear', 'd', 'p')).toBe(1);
    expect(await h.call('clear', 'd')).toBe(5);
    expect(b.deleteManyCalls).toEqual([
      ['name'],
      ['profile'],
      ['active', 'name', 'profile', 'tags', 'visits'],
    ]);
    expect([...b.records.keys()].sort()).toEqual(['nickname', 'old', 'profile-v1']);
    // A prefix no declared key starts with lists nothing and touches nothing.
    expect(await h.call('clear', 'd', 'o')).toBe(0);
    expect(b.deleteManyCalls).toHaveLength(3);
    expect(b.records.has('old')).toBe(true);
  });

  it('refuses undeclared keys in every function', async () => {
    const h = harness({ d: { schema } });
    const calls: [string, ...unknown[]][] = [
      ['get', 'd', 'x'],
      ['get_or', 'd', 'x', 1],
      ['set', 'd', 'x', 1],
      ['merge', 'd', 'x', {}],
      ['delete', 'd', 'x'],
      ['has', 'd', 'x'],
      ['getMany', 'd', ['name', 'x']],
      ['setMany', 'd', { name: 'a', x: 1 }],
      ['add', 'd', 'x', 1],
      ['cas', 'd', 'x', '', 1],
      ['incr', 'd', 'x'],
    ];
    for (const [fn, ...args] of calls)
      expect(await h.code(fn, ...args), fn).toBe('KV_UNDECLARED_KEY');
    expect(await h.call('get', 'd', 'name')).toBe('anon');
  });

  it('type-checks every write; setMany writes nothing when one entry is wrong', async () => {
    const h = harness({ d: { schema } });
    expect(await h.code('set', 'd', 'visits', '3')).toBe('KV_TYPE_MISMATCH');
    expect(await h.code('add', 'd', 'tags', {})).toBe('KV_TYPE_MISMATCH');
    expect(await h.code('cas', 'd', 'active', true, 'yes')).toBe('KV_TYPE_MISMATCH');
    expect(await h.code('setMany', 'd', { name: 'ok', visits: 'no' })).toBe('KV_TYPE_MISMATCH');
    expect(await h.call('get', 'd', 'name')).toBe('anon');
    const e = await h.error('set', 'd', 'visits', [1]);
    expect(e.details).toMatchObject({
      mount: 'd',
      key: 'visits',
      expected: 'number',
      actual: 'list',
    });
  });

  it('incr, merge and cas start from the default', async () => {
    const h = harness({
      d: { schema: { ...schema, score: { type: 'number' as const, default: 10 } } },
    });
    expect(await h.call('incr', 'd', 'score', 5)).toBe(15);
    expect(await h.code('incr', 'd', 'name')).toBe('KV_NOT_A_NUMBER');
    await h.call('merge', 'd', 'profile', { tz: 'UTC' });
    expect(plain(await h.call('get', 'd', 'profile'))).toEqual([
      ['lang', 'en'],
      ['tz', 'UTC'],
    ]);
    expect(await h.code('merge', 'd', 'tags', { a: 1 })).toBe('KV_NOT_A_DICT');
    expect(await h.call('cas', 'd', 'name', 'anon', 'Ann')).toBe(true);
    expect(await h.call('get', 'd', 'name')).toBe('Ann');
  });

  it('add counts a key showing its default as absent', async () => {
    const h = harness({ d: { schema } });
    expect(await h.call('add', 'd', 'name', 'first')).toBe(true);
    expect(await h.call('add', 'd', 'name', 'second')).toBe(false);
    expect(await h.call('get', 'd', 'name')).toBe('first');
  });

  it('a stored value of the wrong type reads as KV_TYPE_MISMATCH', async () => {
    const h = harness({ d: { schema } });
    h.backends.get('d')!.records.set('visits', { value: '"many"', expiresAt: undefined });
    expect(await h.code('get', 'd', 'visits')).toBe('KV_TYPE_MISMATCH');
  });
});
