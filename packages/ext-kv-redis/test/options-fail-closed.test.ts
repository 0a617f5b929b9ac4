// Options fail closed (docs/ref-storage.md): every option of createRedisKvExtension, replaced
// by a hostile value, is refused with KV_INVALID_CONFIG naming it, unless the field table
// says the value is valid. The factory does not connect, so no server is needed.
import {
  describeOptionsFailClosed,
  kvCommonMountFields,
  kvCommonTopFields,
} from '@rillkit/conformance';
import { RillError } from '@rillkit/core';
import { describe, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';

// Nothing listens here; creating an extension must not try to connect anyway.
const URL = 'redis://127.0.0.1:1/0';

const isTimeout = (v: unknown): boolean =>
  v === undefined ||
  (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 && v <= 2 ** 31 - 1);

// Prefixes of the two mounts must not overlap; every sample and hostile string is clear of
// 'app:a:' and 'app:b:'.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isPrefix = (v: unknown): boolean =>
  typeof v === 'string' && v !== '' && !LONE_SURROGATE.test(v);

describeOptionsFailClosed({
  name: 'createRedisKvExtension',
  code: 'KV_INVALID_CONFIG',
  valid: () => ({
    url: URL,
    connectTimeout: 500,
    commandTimeout: 500,
    writePolicy: 'immediate',
    mounts: {
      a: { prefix: 'app:a:', hashTag: true, mode: 'read', maxEntries: 5 },
      b: { prefix: 'app:b:', ttl: 60 },
    },
  }),
  fields: [
    ...kvCommonTopFields(),
    {
      path: 'url',
      isValid: (v) => typeof v === 'string' && /^rediss?:\/\/[^/]/.test(v),
      samples: ['rediss://cache.example:6380', 'http://127.0.0.1:6379', 'redis://'],
    },
    { path: 'client', isValid: (v) => v === undefined, samples: [{ status: 'ready' }] },
    {
      path: 'writePolicy',
      isValid: (v) => v === undefined || v === 'immediate',
      samples: ['immediate', 'dispose'],
    },
    { path: 'connectTimeout', isValid: isTimeout, samples: [2 ** 31 - 1, 2 ** 31] },
    { path: 'commandTimeout', isValid: isTimeout, samples: [2 ** 31 - 1, 2 ** 31] },
    ...['a', 'b'].flatMap((mount) => [
      ...kvCommonMountFields(mount, ['immediate']),
      { path: `mounts.${mount}.prefix`, isValid: isPrefix, samples: ['other:', 'x\uD800'] },
      {
        path: `mounts.${mount}.hashTag`,
        isValid: (v: unknown) => v === undefined || typeof v === 'boolean',
      },
      { path: `mounts.${mount}`, isValid: () => false },
    ]),
  ],
  closedObjects: ['', 'mounts.a', 'mounts.b'],
  create: (options) => createRedisKvExtension(options as never),
});

describe('null never means default', () => {
  it.each([
    ['mounts.m.mode', { url: URL, mounts: { m: { prefix: 'p:', mode: null } } }],
    ['mounts.m.writePolicy', { url: URL, mounts: { m: { prefix: 'p:', writePolicy: null } } }],
    ['mounts.m.hashTag', { url: URL, mounts: { m: { prefix: 'p:', hashTag: null } } }],
    ['writePolicy', { url: URL, writePolicy: null, mounts: {} }],
    ['connectTimeout', { url: URL, connectTimeout: null, mounts: {} }],
    ['url', { url: null, mounts: {} }],
  ])('refuses %s: null', (field, options) => {
    let error: unknown;
    try {
      createRedisKvExtension(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(RillError.is(error) && error.code).toBe('KV_INVALID_CONFIG');
    expect((error as RillError).details['field']).toBe(field);
  });
});
