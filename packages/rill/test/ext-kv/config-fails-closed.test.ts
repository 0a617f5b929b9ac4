// Null never means default (docs/ref-storage.md, "Options fail closed"): on the JSON and the
// memory store alike, a null option is refused by field, never read as left out. The
// property test over every option lives in packages/conformance/test/options-fail-closed.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configError, tempDir } from './helpers.js';

describe('createKvExtension: null never means default', () => {
  const stores = { json: () => join(tempDir(), 'a.json'), memory: () => ':memory:' };
  const cases: [string, Record<string, unknown>][] = [
    ['mode', { mode: null }],
    ['writePolicy', { writePolicy: null }],
    ['ttl', { ttl: null }],
    ['maxEntries', { maxEntries: null }],
    ['schema', { schema: null }],
  ];
  for (const [kind, store] of Object.entries(stores)) {
    it.each(cases)(`refuses ${kind} mounts.a.%s: null`, (option, extra) => {
      const error = configError({ mounts: { a: { store: store(), ...extra } } });
      expect(error.code).toBe('KV_INVALID_CONFIG');
      expect(error.details['field']).toBe(`mounts.a.${option}`);
    });
    it(`refuses ${kind} store, now and createFolders: null`, () => {
      expect(configError({ mounts: { a: { store: null } } }).details['field']).toBe(
        'mounts.a.store',
      );
      expect(configError({ now: null, mounts: { a: { store: store() } } }).details['field']).toBe(
        'now',
      );
      expect(
        configError({ createFolders: null, mounts: { a: { store: store() } } }).details['field'],
      ).toBe('createFolders');
    });
  }
});
