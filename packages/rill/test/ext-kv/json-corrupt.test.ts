import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { call, failure, tempDir } from './helpers.js';

const corruptFiles: [string, string][] = [
  ['malformed JSON', '{"version": 1, "values": {"a": 1'],
  ['a truncated store', '{\n  "version": 1,\n  "revision": 3,\n  "values": {\n    "a": 1,\n'],
  ['a JSON array', '[1, 2, 3]'],
  ['a JSON string', '"hello"'],
  ['a JSON number', '42'],
  ['JSON null', 'null'],
  ['null inside values', '{"version": 1, "values": {"a": null}}'],
  ['an unknown version', '{"version": 2, "values": {}}'],
  ['no version', '{"values": {"a": 1}}'],
  ['a plain object of values', '{"name": "Alice"}'],
  ['values not an object', '{"version": 1, "values": [1]}'],
  ['expires not a number', '{"version": 1, "values": {"a": 1}, "expires": {"a": "soon"}}'],
  ['an empty key', '{"version": 1, "values": {"": 1}}'],
  ['binary garbage', '\u0000\u0001\u0002garbage'],
];

describe('json kv: a corrupt store is reported and left untouched', () => {
  it.each(corruptFiles)(
    '%s -> KV_CORRUPT_STORE for reads and writes, file byte-identical',
    async (_label, content) => {
      const file = join(tempDir(), 'store.json');
      writeFileSync(file, content);
      const before = readFileSync(file);
      const kv = createKvExtension({ mounts: { s: { store: file } } });
      for (const attempt of [
        call(kv, 'get', 's', 'a'),
        call(kv, 'keys', 's'),
        call(kv, 'set', 's', 'a', 1),
        call(kv, 'incr', 's', 'n'),
        call(kv, 'clear', 's'),
        call(kv, 'setMany', 's', { x: 1 }),
      ]) {
        const error = await failure(attempt);
        expect(error.code).toBe('KV_CORRUPT_STORE');
        expect(error.details['mount']).toBe('s');
      }
      await kv.dispose();
      expect(readFileSync(file).equals(before)).toBe(true);
    },
  );

  it('dispose with buffered writes over a corrupt file rejects and leaves it untouched', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file, writePolicy: 'dispose' } } });
    await call(kv, 'set', 's', 'a', 1);
    writeFileSync(file, 'not json');
    await expect(kv.dispose()).rejects.toMatchObject({
      code: 'KV_CORRUPT_STORE',
      details: { mount: 's' },
    });
    expect(readFileSync(file, 'utf8')).toBe('not json');
  });

  it('works again once the file is repaired', async () => {
    const file = join(tempDir(), 'store.json');
    writeFileSync(file, '{broken');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    expect((await failure(call(kv, 'get', 's', 'a'))).code).toBe('KV_CORRUPT_STORE');
    writeFileSync(file, '{"version": 1, "values": {"a": "fixed"}}');
    expect(await call(kv, 'get', 's', 'a')).toBe('fixed');
    await kv.dispose();
  });
});
