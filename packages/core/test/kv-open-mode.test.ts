import { describe, expect, it } from 'vitest';
import { RillError } from '../src/index.js';
import { harness, plain } from './kv-test-backend.js';

describe('kv open mode', () => {
  it('get of a missing key is "" and get_or gives the fallback of any type', async () => {
    const h = harness({ m: {} });
    expect(await h.call('get', 'm', 'nope')).toBe('');
    expect(plain(await h.call('get_or', 'm', 'nope', [1, { a: 2 }]))).toEqual([1, [['a', 2]]]);
    await h.call('set', 'm', 'k', false);
    expect(await h.call('get_or', 'm', 'k', true)).toBe(false);
  });

  it('round-trips every value type exactly, dict key order included', async () => {
    const h = harness({ m: {} });
    const value = new Map<string, unknown>([
      ['10', 'ten'],
      ['2', 'two'],
      ['z', [1, -2.5, 1e300, 5e-324, true, '', 'é😀']],
      [
        'a',
        new Map([
          [
            'nested',
            new Map([
              ['b', 1],
              ['a', 2],
            ]),
          ],
        ]),
      ],
    ]);
    expect(await h.call('set', 'm', 'k', value)).toBe(true);
    expect(plain(await h.call('get', 'm', 'k'))).toEqual(plain(value as never));
  });

  it('keys/getAll are sorted by UTF-16 code unit and prefixes are literal', async () => {
    const h = harness({ m: {} });
    const keys = ['😀', 'é', 'a', 'B', 'a%', 'a_', 'a*', 'a[1]', 'a\\b', 'a:b', 'ab', 'A'];
    for (const k of keys) await h.call('set', 'm', k, k.length);
    expect(await h.call('keys', 'm')).toEqual([...keys].sort());
    expect(await h.call('keys', 'm', '')).toEqual([
      'A',
      'B',
      'a',
      'a%',
      'a*',
      'a:b',
      'a[1]',
      'a\\b',
      'a_',
      'ab',
      'é',
      '😀',
    ]);
    expect(await h.call('keys', 'm', 'a_')).toEqual(['a_']);
    expect(await h.call('keys', 'm', 'a%')).toEqual(['a%']);
    expect(await h.call('keys', 'm', 'a*')).toEqual(['a*']);
    expect(await h.call('keys', 'm', 'a[')).toEqual(['a[1]']);
    expect(await h.call('keys', 'm', '.')).toEqual([]);
    expect(plain(await h.call('getAll', 'm', 'a'))).toEqual([
      ['a', 1],
      ['a%', 2],
      ['a*', 2],
      ['a:b', 3],
      ['a[1]', 4],
      ['a\\b', 3],
      ['a_', 2],
      ['ab', 2],
    ]);
    expect(await h.call('clear', 'm', 'a')).toBe(8);
    expect(await h.call('keys', 'm')).toEqual(['A', 'B', 'é', '😀']);
  });

  it('delete and has report stored values', async () => {
    const h = harness({ m: {} });
    expect(await h.call('has', 'm', 'k')).toBe(false);
    expect(await h.call('delete', 'm', 'k')).toBe(false);
    await h.call('set', 'm', 'k', '');
    expect(await h.call('has', 'm', 'k')).toBe(true);
    expect(await h.call('delete', 'm', 'k')).toBe(true);
    expect(await h.call('has', 'm', 'k')).toBe(false);
  });

  it('merge creates, merges shallowly in place and refuses non-dicts', async () => {
    const h = harness({ m: {} });
    expect(await h.call('merge', 'm', 'p', { a: 1, b: { x: 1 } })).toBe(true);
    await h.call('merge', 'm', 'p', { c: 3, b: { y: 2 } });
    expect(plain(await h.call('get', 'm', 'p'))).toEqual([
      ['a', 1],
      ['b', [['y', 2]]],
      ['c', 3],
    ]);
    expect(await h.code('merge', 'm', 'p', [1])).toBe('KV_NOT_A_DICT');
    await h.call('set', 'm', 's', 'text');
    expect(await h.code('merge', 'm', 's', { a: 1 })).toBe('KV_NOT_A_DICT');
    expect(await h.call('get', 'm', 's')).toBe('text');
  });

  it('incr counts from 0, takes decimals and refuses non-numbers', async () => {
    const h = harness({ m: {} });
    expect(await h.call('incr', 'm', 'n')).toBe(1);
    expect(await h.call('incr', 'm', 'n', 2.5)).toBe(3.5);
    expect(await h.call('incr', 'm', 'n', -4)).toBe(-0.5);
    expect(await h.code('incr', 'm', 'n', '1')).toBe('KV_NOT_A_NUMBER');
    await h.call('set', 'm', 's', '5');
    expect(await h.code('incr', 'm', 's')).toBe('KV_NOT_A_NUMBER');
    await h.call('set', 'm', 'big', 1.7e308);
    expect(await h.code('incr', 'm', 'big', 1.7e308)).toBe('KV_NOT_A_NUMBER');
    expect(await h.call('get', 'm', 'big')).toBe(1.7e308);
  });

  it('add stores only when absent', async () => {
    const h = harness({ m: {} });
    expect(await h.call('add', 'm', 'k', 1)).toBe(true);
    expect(await h.call('add', 'm', 'k', 2)).toBe(false);
    expect(await h.call('get', 'm', 'k')).toBe(1);
  });

  it('cas compares deeply (dict order ignored) and treats absent as ""', async () => {
    const h = harness({ m: {} });
    await h.call('set', 'm', 'k', { a: 1, b: [1, 2] });
    expect(await h.call('cas', 'm', 'k', { b: [1, 2], a: 1 }, 'next')).toBe(true);
    expect(await h.call('cas', 'm', 'k', 'other', 'x')).toBe(false);
    expect(await h.call('get', 'm', 'k')).toBe('next');
    expect(await h.call('cas', 'm', 'absent', 0, 1)).toBe(false);
    expect(await h.call('cas', 'm', 'absent', '', 1)).toBe(true);
    expect(await h.call('get', 'm', 'absent')).toBe(1);
  });

  it('getMany returns existing keys in request order, once', async () => {
    const h = harness({ m: {} });
    await h.call('setMany', 'm', { b: 2, a: 1 });
    expect(plain(await h.call('getMany', 'm', ['x', 'b', 'a', 'b']))).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
    expect(plain(await h.call('getMany', 'm', []))).toEqual([]);
    expect(await h.code('getMany', 'm', ['a', ''])).toBe('KV_INVALID_KEY');
  });

  it('setMany with an empty dict is true and writes nothing', async () => {
    const h = harness({ m: {} });
    expect(await h.call('setMany', 'm', {})).toBe(true);
    expect(h.backends.get('m')?.records.size).toBe(0);
  });

  it('refuses closures and non-finite numbers as values with KV_TYPE_MISMATCH', async () => {
    const h = harness({ m: {} });
    const closure = { [Symbol.for('rillkit.closure')]: true, params: [] };
    expect(await h.code('set', 'm', 'k', closure)).toBe('KV_TYPE_MISMATCH');
    expect(await h.code('set', 'm', 'k', [1, closure])).toBe('KV_TYPE_MISMATCH');
    expect(await h.code('set', 'm', 'k', Infinity)).toBe('KV_TYPE_MISMATCH');
    expect(await h.code('setMany', 'm', { a: 1, b: closure })).toBe('KV_TYPE_MISMATCH');
    expect(await h.call('keys', 'm')).toEqual([]);
  });
});

describe('kv keys', () => {
  it('accepts 1,024 UTF-8 bytes and refuses 1,025, empty and non-strings', async () => {
    const h = harness({ m: {} });
    const at = 'é'.repeat(512);
    expect(await h.call('set', 'm', at, 1)).toBe(true);
    expect(await h.call('set', 'm', 'k'.repeat(1024), 1)).toBe(true);
    const over = 'é'.repeat(512) + 'x';
    for (const fn of ['get', 'has', 'delete']) {
      expect(await h.code(fn, 'm', over)).toBe('KV_INVALID_KEY');
      expect(await h.code(fn, 'm', '')).toBe('KV_INVALID_KEY');
      expect(await h.code(fn, 'm', 5)).toBe('KV_INVALID_KEY');
      expect(await h.code(fn, 'm', ['a'])).toBe('KV_INVALID_KEY');
    }
    expect(await h.code('set', 'm', '😀'.repeat(256) + 'x', 1)).toBe('KV_INVALID_KEY');
    expect(await h.code('setMany', 'm', { '': 1 })).toBe('KV_INVALID_KEY');
  });

  it('refuses keys with a lone surrogate in every function; pairs are fine', async () => {
    const h = harness({ m: {} });
    // Stores that encode UTF-8 would turn each of these into U+FFFD and merge them.
    const lone = ['a\ud800', 'a\udc00', '\ud83d', 'x\ude00y', '\ud800\ud800', 'a\udc00\ud800'];
    for (const key of lone) {
      const calls: [string, ...unknown[]][] = [
        ['get', 'm', key],
        ['get_or', 'm', key, 1],
        ['set', 'm', key, 1],
        ['merge', 'm', key, {}],
        ['delete', 'm', key],
        ['has', 'm', key],
        ['getMany', 'm', ['ok', key]],
        ['setMany', 'm', { ok: 1, [key]: 1 }],
        ['add', 'm', key, 1],
        ['cas', 'm', key, '', 1],
        ['incr', 'm', key],
      ];
      for (const [fn, ...args] of calls) {
        const e = await h.error(fn, ...args);
        expect(e.code, `${fn}(${JSON.stringify(key)})`).toBe('KV_INVALID_KEY');
        expect(e.details['mount']).toBe('m');
      }
    }
    expect(await h.call('keys', 'm')).toEqual([]);
    expect(await h.call('set', 'm', 'a😀\ud800\udc00', 1)).toBe(true);
    expect(await h.call('get', 'm', 'a😀\ud800\udc00')).toBe(1);
    expect(await h.call('set', 'm', 'a\ufffd', 2)).toBe(true);
    expect(await h.call('keys', 'm')).toEqual(['a😀\ud800\udc00', 'a\ufffd']);
  });

  it('refuses prefixes with a lone surrogate in keys, getAll and clear', async () => {
    const h = harness({ m: {} });
    await h.call('setMany', 'm', { '😀x': 1, '😁z': 2, '\ufffd': 3 });
    for (const prefix of ['\ud83d', '\ude00', 'a\ud800b']) {
      for (const fn of ['keys', 'getAll', 'clear']) {
        const e = await h.error(fn, 'm', prefix);
        expect(e.code, `${fn}(${JSON.stringify(prefix)})`).toBe('KV_INVALID_KEY');
        expect(e.details).toMatchObject({ mount: 'm', prefix });
      }
    }
    expect(await h.call('keys', 'm', '😀')).toEqual(['😀x']);
    expect(await h.call('keys', 'm')).toEqual(['😀x', '😁z', '\ufffd']);
  });
});

describe('kv error context', () => {
  it('every error carries the mount and key; unknown mounts are coded', async () => {
    const h = harness({ m: {} });
    const e = await h.error('incr', 'm', 'word', 'x');
    expect(e.details).toMatchObject({ mount: 'm', key: 'word' });
    const unknown = await h.error('get', 'nope', 'k');
    expect(unknown.code).toBe('KV_UNKNOWN_MOUNT');
    expect(unknown.details).toMatchObject({ mount: 'nope', mounts: ['m'] });
    expect(await h.code('keys', 'nope')).toBe('KV_UNKNOWN_MOUNT');
  });

  it('maps raw backend errors to KV_BACKEND_FAILURE keeping the cause, and keeps coded ones', async () => {
    const h = harness({ m: {} });
    const raw = Object.assign(new Error('EIO: disk on fire'), { code: 'EIO' });
    h.backends.get('m')!.failNext = raw;
    const e = await h.error('get', 'm', 'k');
    expect(e.code).toBe('KV_BACKEND_FAILURE');
    expect(e.cause).toBe(raw);
    expect(e.details).toMatchObject({ mount: 'm', key: 'k' });
    h.backends.get('m')!.failNext = new RillError('EVAL_INVALID_JSON', 'not kv');
    expect(await h.code('keys', 'm')).toBe('KV_BACKEND_FAILURE');
    h.backends.get('m')!.failNext = new RillError('KV_BACKEND_UNAVAILABLE', 'down');
    const down = await h.error('set', 'm', 'k', 1);
    expect(down.code).toBe('KV_BACKEND_UNAVAILABLE');
    expect(down.details).toMatchObject({ mount: 'm', key: 'k' });
  });

  it('a stored value that does not parse is KV_CORRUPT_STORE', async () => {
    const h = harness({ m: {} });
    h.backends.get('m')!.records.set('bad', { value: '{"a":', expiresAt: undefined });
    h.backends.get('m')!.records.set('nul', { value: '[null]', expiresAt: undefined });
    expect(await h.code('get', 'm', 'bad')).toBe('KV_CORRUPT_STORE');
    expect(await h.code('get', 'm', 'nul')).toBe('KV_CORRUPT_STORE');
    const e = await h.error('getAll', 'm');
    expect(e.code).toBe('KV_CORRUPT_STORE');
    expect(e.details['key']).toBe('bad');
    expect(await h.code('incr', 'm', 'bad')).toBe('KV_CORRUPT_STORE');
  });

  it('direct calls get the runtime argument checks', async () => {
    const h = harness({ m: {} });
    const fn = h.ext.functions['kv::keys']!;
    const ctx = {
      name: 'kv::keys',
      signal: new AbortController().signal,
      span: undefined,
      invoke: async () => '',
    };
    await expect(fn.fn([5], ctx)).rejects.toMatchObject({ code: 'HOST_ARGUMENT_TYPE' });
    await expect(fn.fn(['m', 5], ctx)).rejects.toMatchObject({ code: 'HOST_ARGUMENT_TYPE' });
    await expect(fn.fn([], ctx)).rejects.toMatchObject({ code: 'HOST_ARGUMENT_COUNT' });
    await expect(fn.fn(['m', '', 'x'], ctx)).rejects.toMatchObject({ code: 'HOST_ARGUMENT_COUNT' });
    expect(await fn.fn(['m'], ctx)).toEqual([]);
    await expect(h.ext.functions['kv::set']!.fn(['m', 'k', 1, 'ttl'], ctx)).rejects.toMatchObject({
      code: 'HOST_ARGUMENT_TYPE',
    });
  });
});
