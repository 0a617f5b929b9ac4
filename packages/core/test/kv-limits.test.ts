import { describe, expect, it } from 'vitest';
import { checkKvLimits, kvRecordDelta, utf8Length } from '../src/index.js';
import { harness } from './kv-test-backend.js';

const rec = (value: string) => ({ value, expiresAt: undefined });

describe('kv limit helpers', () => {
  it('utf8Length matches TextEncoder, lone surrogates included', () => {
    for (const s of ['', 'a', 'é', '€', '😀', 'a😀é', '\ud800', '\udc00x', '\ud800\ud800']) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(new TextEncoder().encode(s).length);
    }
  });

  it('kvRecordDelta counts key bytes plus value bytes', () => {
    expect(kvRecordDelta('ké', undefined, rec('"x"'))).toEqual({ entries: 1, size: 6 });
    expect(kvRecordDelta('k', rec('1'), rec('100'))).toEqual({ entries: 0, size: 2 });
    expect(kvRecordDelta('k', rec('1'), undefined)).toEqual({ entries: -1, size: -2 });
  });

  it('checkKvLimits: at the limit passes, one past fails, shrinking always passes', () => {
    const limits = { maxEntries: 2, maxStoreSize: 10 };
    expect(() =>
      checkKvLimits({ entries: 1, size: 5 }, { entries: 1, size: 5 }, limits),
    ).not.toThrow();
    expect(() => checkKvLimits({ entries: 2, size: 5 }, { entries: 1, size: 0 }, limits)).toThrow(
      expect.objectContaining({ code: 'KV_TOO_MANY_ENTRIES' }),
    );
    expect(() => checkKvLimits({ entries: 1, size: 5 }, { entries: 0, size: 6 }, limits)).toThrow(
      expect.objectContaining({ code: 'KV_STORE_TOO_LARGE' }),
    );
    expect(() =>
      checkKvLimits({ entries: 5, size: 50 }, { entries: -1, size: -3 }, limits),
    ).not.toThrow();
  });
});

describe('kv limits through the extension', () => {
  it('maxValueSize: at the limit OK, one byte over fails (JSON bytes)', async () => {
    const h = harness({ m: { maxValueSize: 10 } });
    expect(await h.call('set', 'm', 'k', 'é'.repeat(4))).toBe(true); // "éééé" = 2 + 8 bytes
    expect(await h.code('set', 'm', 'k', 'é'.repeat(4) + 'x')).toBe('KV_VALUE_TOO_LARGE');
    expect(await h.call('get', 'm', 'k')).toBe('éééé');
    expect(await h.code('merge', 'm', 'd', { abcdef: 1 })).toBe('KV_VALUE_TOO_LARGE');
    expect(await h.code('setMany', 'm', { a: 1, b: 'x'.repeat(20) })).toBe('KV_VALUE_TOO_LARGE');
    expect(await h.call('keys', 'm')).toEqual(['k']);
  });

  it('maxEntries: the last entry fits, the next fails; replacing never counts twice', async () => {
    const h = harness({ m: { maxEntries: 2 } });
    await h.call('set', 'm', 'a', 1);
    await h.call('set', 'm', 'b', 1);
    expect(await h.code('set', 'm', 'c', 1)).toBe('KV_TOO_MANY_ENTRIES');
    expect(await h.code('add', 'm', 'c', 1)).toBe('KV_TOO_MANY_ENTRIES');
    expect(await h.code('incr', 'm', 'c')).toBe('KV_TOO_MANY_ENTRIES');
    expect(await h.call('set', 'm', 'a', 2)).toBe(true);
    expect(await h.code('setMany', 'm', { a: 3, c: 3 })).toBe('KV_TOO_MANY_ENTRIES');
    expect(await h.call('get', 'm', 'a')).toBe(2);
    await h.call('delete', 'm', 'b');
    expect(await h.call('set', 'm', 'c', 1)).toBe(true);
  });

  it('maxStoreSize: key bytes + value JSON bytes, at the limit OK', async () => {
    const h = harness({ m: { maxStoreSize: 10 } });
    await h.call('set', 'm', 'ab', 'xyz'); // 2 + 5 = 7
    expect(await h.call('set', 'm', 'c', 12)).toBe(true); // 1 + 2 = 3 -> 10
    expect(await h.code('set', 'm', 'd', 1)).toBe('KV_STORE_TOO_LARGE');
    expect(await h.code('set', 'm', 'c', 123)).toBe('KV_STORE_TOO_LARGE');
    expect(await h.call('set', 'm', 'c', 1)).toBe(true);
    expect(await h.call('keys', 'm')).toEqual(['ab', 'c']);
  });
});
