import { describe, expect, it } from 'vitest';
import { parseKvFile, readRevisionHint, serializeKvFile } from '../../src/ext/kv/index.js';

const rec = (value: string, expiresAt?: number) => ({ value, expiresAt });

describe('json kv file format', () => {
  it('serialises one entry per line and parses back to the same records', () => {
    const entries: [string, { value: string; expiresAt: number | undefined }][] = [
      ['name', rec('"Alice"')],
      ['constructor', rec('{"b":1,"a":[true,"x"]}', 1_700_000_000_000.5)],
      ['__proto__', rec('{"toString":1}')],
      ['hasOwnProperty', rec('-0.000001')],
      ['ü 😀 "q"', rec(JSON.stringify('\u2028 \n\u0001'))],
    ];
    const text = serializeKvFile(9, entries);
    expect(text.split('\n').slice(0, 4)).toEqual([
      '{',
      '  "version": 1,',
      '  "revision": 9,',
      '  "values": {',
    ]);
    expect(parseKvFile(text)).toEqual({
      revision: 9,
      entries: entries.map(([k, r]) => [k, { value: r.value, expiresAt: r.expiresAt }]),
    });
    expect(readRevisionHint(text.slice(0, 80))).toBe(9);
  });

  it('keeps integer-like keys in file order, at the top and inside values', () => {
    const entries: [string, { value: string; expiresAt: number | undefined }][] = [
      ['b', rec('{"z":1,"10":2,"2":3}')],
      ['10', rec('1')],
      ['2', rec('2')],
    ];
    const parsed = parseKvFile(serializeKvFile(1, entries));
    expect(parsed.entries.map(([k, r]) => [k, r.value])).toEqual([
      ['b', '{"z":1,"10":2,"2":3}'],
      ['10', '1'],
      ['2', '2'],
    ]);
  });

  it('the fast and the order-keeping parse agree on everything else', () => {
    const base = {
      version: 1,
      revision: 4,
      values: { a: { x: [1, 2.5, 'é'] }, b: 'text', c: false, d: [], e: {} },
      expires: { b: 5 },
    };
    const fast = parseKvFile(JSON.stringify(base));
    // An integer-like key anywhere forces the order-keeping parser.
    const slow = parseKvFile(
      JSON.stringify({ ...base, values: { ...base.values, f: { '1': 0 } } }),
    );
    expect(slow.entries.slice(0, 5)).toEqual(fast.entries);
    expect(fast.entries.find(([k]) => k === 'b')?.[1]).toEqual({ value: '"text"', expiresAt: 5 });
  });

  it('reads no revision hint from a file of another shape', () => {
    expect(readRevisionHint('{"values": {}}')).toBeUndefined();
    expect(readRevisionHint('{\n  "version": 2,\n  "revision": 3,')).toBeUndefined();
    expect(readRevisionHint('{"version":1,"revision":12,"values":{}}')).toBe(12);
  });

  it.each([
    ['{"version":1,"values":{"constructor":1},"expires":{"constructor":"x"}}'],
    ['{"version":1,"revision":-1,"values":{}}'],
    ['{"version":1,"revision":1.5,"values":{}}'],
    ['{"version":1,"values":{},"extra":1}'],
    ['{"version":1,"values":{"a":[1,null]}}'],
  ])('refuses %s with KV_CORRUPT_STORE', (text) => {
    expect(() => parseKvFile(text)).toThrow(expect.objectContaining({ code: 'KV_CORRUPT_STORE' }));
  });
});
