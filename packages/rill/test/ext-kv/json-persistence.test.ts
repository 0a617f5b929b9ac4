import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { call, readStore, run, tempDir } from './helpers.js';

describe('json kv: persistence', () => {
  it('a missing file is an empty store and is created by the first write', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    expect(await run(kv, 'kv::keys("s")')).toEqual([]);
    expect(existsSync(file)).toBe(false);
    await run(kv, 'kv::set("s", "a", 1)');
    expect(readStore(file)).toEqual({ version: 1, revision: 1, values: { a: 1 } });
    await kv.dispose();
  });

  it('everything survives a reopen: every type, key order incl. integer-like keys, TTLs', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.json');
    let now = 1_700_000_000_000;
    const first = createKvExtension({ mounts: { s: { store: file } }, now: () => now });
    await run(
      first,
      `kv::set("s", "z", [b: 1, "10": 2, "2": 3, a: [1, "x", true, [:]]])
kv::set("s", "10", "ten")
kv::set("s", "2", 2.5)
kv::set("s", "session", "tok", [ttl: 60])
kv::set("s", "uni 😀", "é\\n\\"q\\"")
kv::set("s", "neg", -0.000001)`,
    );
    await first.dispose();

    const text = readFileSync(file, 'utf8');
    expect(text).toBe(
      [
        '{',
        '  "version": 1,',
        '  "revision": 6,',
        '  "values": {',
        '    "z": {"b":1,"10":2,"2":3,"a":[1,"x",true,{}]},',
        '    "10": "ten",',
        '    "2": 2.5,',
        '    "session": "tok",',
        '    "uni 😀": "é\\n\\"q\\"",',
        '    "neg": -0.000001',
        '  },',
        '  "expires": {',
        `    "session": ${now + 60_000}`,
        '  }',
        '}',
        '',
      ].join('\n'),
    );

    const second = createKvExtension({ mounts: { s: { store: file } }, now: () => now });
    expect(await call(second, 'keys', 's')).toEqual(['10', '2', 'neg', 'session', 'uni 😀', 'z']);
    const z = (await run(second, 'kv::get("s", "z") -> .keys')) as string[];
    expect(z).toEqual(['b', '10', '2', 'a']);
    expect(await call(second, 'get', 's', 'session')).toBe('tok');
    now += 60_000;
    expect(await call(second, 'has', 's', 'session')).toBe(false);
    await call(second, 'set', 's', 'after', 1);
    expect(readStore(file).expires).toBeUndefined();
    expect(Object.keys(readStore(file).values)).not.toContain('session');
    await second.dispose();
  });

  it('reads a hand-written file: {} / empty / BOM / no revision, and keeps writing it', async () => {
    const dir = tempDir();
    const cases: [string, unknown][] = [
      ['{}', []],
      ['', []],
      ['  \n', []],
      ['\ufeff{"version": 1, "values": {"b": 1, "a": {"x": [1]}}}', ['a', 'b']],
      ['{"version":1,"revision":7,"values":{"k":"v"},"expires":{}}', ['k']],
    ];
    for (const [i, [content, keys]] of cases.entries()) {
      const file = join(dir, `hand-${i}.json`);
      writeFileSync(file, content);
      const kv = createKvExtension({ mounts: { s: { store: file } } });
      expect(await call(kv, 'keys', 's')).toEqual(keys);
      await call(kv, 'set', 's', 'new', true);
      expect(readStore(file).values['new']).toBe(true);
      await kv.dispose();
    }
  });

  it('sees edits made by hand (another writer) before the next read', async () => {
    const file = join(tempDir(), 'store.json');
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    await call(kv, 'set', 's', 'a', 1);
    writeFileSync(file, '{"version": 1, "values": {"a": 2, "b": 3}}');
    expect(await call(kv, 'getAll', 's')).toEqual({ a: 2, b: 3 });
    expect(await call(kv, 'incr', 's', 'a')).toBe(3);
    expect(readStore(file)).toMatchObject({ revision: 1, values: { a: 3, b: 3 } });
    await kv.dispose();
  });

  it('leaves no temp files behind and keeps the file mode', async () => {
    const dir = tempDir();
    const file = join(dir, 'store.json');
    writeFileSync(file, '{}', { mode: 0o600 });
    const kv = createKvExtension({ mounts: { s: { store: file } } });
    await Promise.all(Array.from({ length: 20 }, (_, i) => call(kv, 'set', 's', `k${i}`, i)));
    await kv.dispose();
    expect(readdirSync(dir)).toEqual(['store.json']);
    expect((await import('node:fs')).statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a symlinked store file is written through the link', async () => {
    const dir = tempDir();
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    (await import('node:fs')).symlinkSync(real, link);
    const kv = createKvExtension({ mounts: { s: { store: link } } });
    await call(kv, 'set', 's', 'a', 1);
    await kv.dispose();
    expect((await import('node:fs')).lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readStore(real).values).toEqual({ a: 1 });
  });
});
