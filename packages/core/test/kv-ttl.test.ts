import { describe, expect, it } from 'vitest';
import { harness, plain } from './kv-test-backend.js';

describe('kv ttl', () => {
  it('the mount ttl applies to writes; expired keys are absent for every function', async () => {
    const h = harness({ m: { ttl: 2 } });
    await h.call('set', 'm', 'k', 'v');
    await h.call('setMany', 'm', { a: 1 });
    const rec = h.backends.get('m')!.records.get('k')!;
    expect(rec.expiresAt).toBe(h.clock.now + 2000);
    h.clock.now += 1999;
    expect(await h.call('get', 'm', 'k')).toBe('v');
    h.clock.now += 1;
    expect(await h.call('get', 'm', 'k')).toBe('');
    expect(await h.call('get_or', 'm', 'k', 'gone')).toBe('gone');
    expect(await h.call('has', 'm', 'k')).toBe(false);
    expect(await h.call('keys', 'm')).toEqual([]);
    expect(plain(await h.call('getAll', 'm'))).toEqual([]);
    expect(plain(await h.call('getMany', 'm', ['k', 'a']))).toEqual([]);
    expect(await h.call('delete', 'm', 'k')).toBe(false);
    expect(await h.call('clear', 'm')).toBe(0);
    expect(await h.call('add', 'm', 'k', 'again')).toBe(true);
  });

  it('opts.ttl overrides the mount default, fractions allowed; bad options are KV_INVALID_OPTION', async () => {
    const h = harness({ m: { ttl: 100 } });
    await h.call('set', 'm', 'k', 1, { ttl: 0.25 });
    expect(h.backends.get('m')!.records.get('k')!.expiresAt).toBe(h.clock.now + 250);
    await h.call('add', 'm', 'a', 1, { ttl: 1 });
    expect(h.backends.get('m')!.records.get('a')!.expiresAt).toBe(h.clock.now + 1000);
    for (const opts of [{ ttl: 0 }, { ttl: -1 }, { ttl: '5' }, { ttl: [1] }, { ttls: 5 }]) {
      expect(await h.code('set', 'm', 'k', 1, opts), JSON.stringify(opts)).toBe(
        'KV_INVALID_OPTION',
      );
    }
    const noTtl = harness({ m: {} });
    await noTtl.call('set', 'm', 'k', 1);
    expect(noTtl.backends.get('m')!.records.get('k')!.expiresAt).toBeUndefined();
  });

  it('incr and merge keep the expiry of an existing entry; cas gives the mount ttl', async () => {
    const h = harness({ m: { ttl: 10 } });
    const start = h.clock.now;
    await h.call('incr', 'm', 'n');
    h.clock.now += 5000;
    expect(await h.call('incr', 'm', 'n')).toBe(2);
    expect(h.backends.get('m')!.records.get('n')!.expiresAt).toBe(start + 10_000);
    h.clock.now = start + 10_000;
    expect(await h.call('incr', 'm', 'n')).toBe(1);
    await h.call('merge', 'm', 'd', { a: 1 });
    const created = h.backends.get('m')!.records.get('d')!.expiresAt;
    h.clock.now += 1000;
    await h.call('merge', 'm', 'd', { b: 1 });
    expect(h.backends.get('m')!.records.get('d')!.expiresAt).toBe(created);
    await h.call(
      'cas',
      'm',
      'd',
      new Map([
        ['a', 1],
        ['b', 1],
      ]),
      'x',
    );
    expect(h.backends.get('m')!.records.get('d')!.expiresAt).toBe(h.clock.now + 10_000);
  });

  it('an expired key is absent for cas and incr', async () => {
    const h = harness({ m: {} });
    await h.call('set', 'm', 'k', 5, { ttl: 1 });
    h.clock.now += 1000;
    expect(await h.call('cas', 'm', 'k', 5, 6)).toBe(false);
    expect(await h.call('cas', 'm', 'k', '', 6)).toBe(true);
    await h.call('set', 'm', 'n', 5, { ttl: 1 });
    h.clock.now += 1000;
    expect(await h.call('incr', 'm', 'n')).toBe(1);
  });

  it('declared keys fall back to their default when they expire', async () => {
    const h = harness({ d: { schema: { n: { type: 'number', default: 7 } } } });
    await h.call('set', 'd', 'n', 1, { ttl: 1 });
    h.clock.now += 1000;
    expect(await h.call('get', 'd', 'n')).toBe(7);
  });
});
