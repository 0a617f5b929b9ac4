import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { call, failure, readStore, run, tempDir } from './helpers.js';

describe("json kv: writePolicy 'dispose'", () => {
  it('writes nothing before dispose and everything at dispose, in one file write', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file, writePolicy: 'dispose' } } });
    await run(
      kv,
      'range(0, 30) -> each { kv::set("s", "k{$}", $) }\nkv::incr("s", "n")\nkv::delete("s", "k0")',
    );
    expect(await call(kv, 'get', 's', 'k5')).toBe(5);
    expect(existsSync(file)).toBe(false);
    await kv.dispose();
    const stored = readStore(file);
    expect(stored.revision).toBe(1);
    expect(Object.keys(stored.values)).toHaveLength(30);
    expect(stored.values['k0']).toBeUndefined();
    expect(stored.values['n']).toBe(1);
  });

  it('keeps changes other processes made to other keys', async () => {
    const file = join(tempDir(), 'store.json');
    const buffered = createKvExtension({ mounts: { s: { store: file, writePolicy: 'dispose' } } });
    const other = createKvExtension({ mounts: { s: { store: file } } });
    await call(other, 'set', 's', 'shared', 'from other');
    await call(buffered, 'set', 's', 'mine', 1);
    await call(other, 'set', 's', 'later', 2);
    expect(await call(buffered, 'getAll', 's')).toEqual({
      later: 2,
      mine: 1,
      shared: 'from other',
    });
    await buffered.dispose();
    expect(readStore(file).values).toEqual({ shared: 'from other', later: 2, mine: 1 });
    await other.dispose();
  });

  it('dispose rejects when the folder is gone, and is idempotent', async () => {
    const dir = join(tempDir(), 'data');
    mkdirSync(dir);
    const kv = createKvExtension({
      mounts: {
        s: { store: join(dir, 'store.json'), writePolicy: 'dispose' },
        m: { store: ':memory:' },
      },
    });
    await call(kv, 'set', 's', 'a', 1);
    rmSync(dir, { recursive: true });
    const first = kv.dispose();
    const error = await failure(first);
    expect(error.code).toBe('KV_BACKEND_FAILURE');
    expect(error.details['mount']).toBe('s');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
    expect(kv.dispose()).toBe(first);
  });

  it('dispose resolves when everything was persisted', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file, writePolicy: 'dispose' } } });
    await kv.dispose();
    await kv.dispose();
    expect(existsSync(file)).toBe(false);
  });
});

describe("json kv: writePolicy 'immediate' failures", () => {
  it('a write into a removed folder fails with KV_BACKEND_FAILURE and dispose then resolves', async () => {
    const dir = join(tempDir(), 'data');
    mkdirSync(dir);
    const kv = createKvExtension({ mounts: { s: { store: join(dir, 'store.json') } } });
    await call(kv, 'set', 's', 'a', 1);
    rmSync(dir, { recursive: true });
    const error = await failure(call(kv, 'set', 's', 'b', 2));
    expect(error.code).toBe('KV_BACKEND_FAILURE');
    expect(error.details).toMatchObject({ mount: 's', key: 'b' });
    // The write was reported to its caller; nothing is left unpersisted.
    await kv.dispose();
  });

  // root writes into a read-only folder anyway, so the case only exists for other users.
  it.skipIf(process.getuid?.() === 0)(
    'a read-only folder fails the write and leaves the file as it was',
    async () => {
      const dir = join(tempDir(), 'data');
      mkdirSync(dir);
      const file = join(dir, 'store.json');
      const kv = createKvExtension({ mounts: { s: { store: file } } });
      await call(kv, 'set', 's', 'a', 1);
      chmodSync(dir, 0o555);
      try {
        expect((await failure(call(kv, 'set', 's', 'a', 2))).code).toBe('KV_BACKEND_FAILURE');
        expect(readStore(file).values).toEqual({ a: 1 });
        expect(await call(kv, 'get', 's', 'a')).toBe(1);
      } finally {
        chmodSync(dir, 0o755);
      }
      await kv.dispose();
    },
  );
});
