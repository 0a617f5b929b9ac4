import { describe, expect, it } from 'vitest';
import { type HostCallContext, RillError, type RillValue } from '../src/index.js';
import { harness } from './kv-test-backend.js';

const ctx: HostCallContext = {
  name: 'kv::get',
  signal: new AbortController().signal,
  span: undefined,
  invoke: () => Promise.reject(new Error('no closures here')),
};

describe('a backend whose get answers synchronously', () => {
  it('kv::get returns the value itself, not a promise, with the same results', async () => {
    const h = harness({ m: {}, d: { schema: { n: { type: 'number', default: 7 } } } });
    for (const b of h.backends.values()) b.syncGet = true;
    await h.call('set', 'm', 'k', [1, 'two']);
    const get = h.ext.functions['kv::get']!;
    const stored = get.fn(['m', 'k'], ctx);
    expect(stored).not.toBeInstanceOf(Promise);
    expect(stored).toEqual([1, 'two']);
    expect(get.fn(['m', 'missing'], ctx)).toBe('');
    expect(get.fn(['d', 'n'], ctx)).toBe(7);
  });

  it('failures still arrive as rejected promises with coded errors and their context', async () => {
    const h = harness({ m: {} });
    const backend = h.backends.get('m')!;
    backend.syncGet = true;
    const get = h.ext.functions['kv::get']!;
    const rejected = async (result: RillValue | Promise<RillValue>): Promise<RillError> => {
      expect(result).toBeInstanceOf(Promise);
      const error = await (result as Promise<RillValue>).then(
        () => expect.unreachable('expected a rejection'),
        (e: unknown) => e,
      );
      expect(RillError.is(error)).toBe(true);
      return error as RillError;
    };

    backend.failNext = Object.assign(new Error('EIO'), { code: 'EIO' });
    const failure = await rejected(get.fn(['m', 'k'], ctx));
    expect(failure.code).toBe('KV_BACKEND_FAILURE');
    expect(failure.details).toMatchObject({ mount: 'm', key: 'k' });

    backend.records.set('bad', { value: '{"a":', expiresAt: undefined });
    expect((await rejected(get.fn(['m', 'bad'], ctx))).code).toBe('KV_CORRUPT_STORE');
    expect((await rejected(get.fn(['m', ''], ctx))).code).toBe('KV_INVALID_KEY');
    expect((await rejected(get.fn(['nope', 'k'], ctx))).code).toBe('KV_UNKNOWN_MOUNT');
    expect((await rejected(get.fn([1, 'k'], ctx))).code).toBe('HOST_ARGUMENT_TYPE');

    await h.ext.dispose();
    expect((await rejected(get.fn(['m', 'k'], ctx))).code).toBe('KV_BACKEND_UNAVAILABLE');
  });
});
