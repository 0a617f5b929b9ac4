import { describe, expect, it } from 'vitest';
import { harness } from './kv-test-backend.js';

const calls: Record<string, unknown[]> = {
  get: ['k'],
  get_or: ['k', 0],
  has: ['k'],
  keys: [],
  getAll: [],
  getMany: [['k']],
  set: ['k', 1],
  merge: ['d', { a: 1 }],
  delete: ['k'],
  clear: [],
  setMany: [{ k: 2 }],
  add: ['k2', 1],
  cas: ['k', 1, 2],
  incr: ['n'],
  schema: [],
};
const reads = ['get', 'get_or', 'has', 'keys', 'getAll', 'getMany'];
const writes = ['set', 'merge', 'delete', 'clear', 'setMany', 'add'];
const both = ['cas', 'incr'];

describe('kv access modes', () => {
  it('read mounts refuse every write with KV_READ_ONLY', async () => {
    const h = harness({ r: { mode: 'read' } });
    for (const fn of reads) await h.call(fn, 'r', ...(calls[fn] ?? []));
    for (const fn of [...writes, ...both])
      expect(await h.code(fn, 'r', ...(calls[fn] ?? [])), fn).toBe('KV_READ_ONLY');
    expect(await h.call('schema', 'r')).toEqual([]);
  });

  it('write mounts refuse every read (and cas/incr) with KV_WRITE_ONLY', async () => {
    const h = harness({ w: { mode: 'write' } });
    for (const fn of writes) await h.call(fn, 'w', ...(calls[fn] ?? []));
    for (const fn of [...reads, ...both])
      expect(await h.code(fn, 'w', ...(calls[fn] ?? [])), fn).toBe('KV_WRITE_ONLY');
    expect(await h.call('schema', 'w')).toEqual([]);
  });

  it('mode errors name the mount and come before key checks', async () => {
    const h = harness({ r: { mode: 'read' } });
    const e = await h.error('set', 'r', '', 1);
    expect(e.code).toBe('KV_READ_ONLY');
    expect(e.details['mount']).toBe('r');
  });
});
