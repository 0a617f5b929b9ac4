import { describe, expect, it } from 'vitest';
import { RillError } from '../src/index.js';
import { harness } from './kv-test-backend.js';

describe('kv dispose', () => {
  it('flushes and closes every backend once, then calls the shared dispose; idempotent', async () => {
    let shared = 0;
    const h = harness({ a: {}, b: {} }, { dispose: async () => void shared++ });
    const first = h.ext.dispose();
    const second = h.ext.dispose();
    expect(second).toBe(first);
    await first;
    await h.ext.dispose();
    for (const b of h.backends.values()) {
      expect(b.flushed).toBe(1);
      expect(b.closed).toBe(1);
    }
    expect(shared).toBe(1);
  });

  it('rejects with the failing mount in details, still closing everything', async () => {
    const h = harness({ a: {}, b: {} });
    h.backends.get('b')!.flushError = new Error('ENOSPC');
    const error = await h.ext.dispose().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(RillError.is(error) && error.code).toBe('KV_BACKEND_FAILURE');
    expect((error as RillError).details['mount']).toBe('b');
    expect(h.backends.get('a')!.closed).toBe(1);
    expect(h.backends.get('b')!.closed).toBe(1);
    await expect(h.ext.dispose()).rejects.toBe(error);
  });

  it('several failures reject with every mount listed', async () => {
    const h = harness({ a: {}, b: {} });
    h.backends.get('a')!.flushError = new Error('x');
    h.backends.get('b')!.closeError = new Error('y');
    await expect(h.ext.dispose()).rejects.toMatchObject({
      code: 'KV_BACKEND_FAILURE',
      details: { mounts: ['a', 'b'] },
    });
  });

  it('calls after dispose fail with KV_BACKEND_UNAVAILABLE', async () => {
    const h = harness({ a: {} });
    await h.ext.dispose();
    expect(await h.code('get', 'a', 'k')).toBe('KV_BACKEND_UNAVAILABLE');
    expect(await h.code('set', 'a', 'k', 1)).toBe('KV_BACKEND_UNAVAILABLE');
  });
});
