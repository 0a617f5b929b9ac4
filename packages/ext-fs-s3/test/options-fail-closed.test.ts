// Options fail closed (docs/ref-storage.md): every option of createS3FsExtension, at the top
// level and on a mount, replaced by a hostile value, is refused with FS_INVALID_CONFIG naming
// it, unless the field table says the value is valid. Clients are built but never used, so
// no server is needed.
import {
  type OptionFieldSpec,
  describeOptionsFailClosed,
  fsCommonMountFields,
  fsCommonTopFields,
} from '@rillkit/conformance';
import { RillError, isPlainObject } from '@rillkit/core';
import { describe, expect, it } from 'vitest';
import { createS3FsExtension } from '../src/index.js';

const envRegion = process.env['AWS_REGION'] ?? process.env['AWS_DEFAULT_REGION'];
const absent = (v: unknown): boolean => v === undefined;
const isWhole = (min: number, max: number) => (v: unknown) =>
  v === undefined || (typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max);
const isRegionName = (v: unknown): boolean => typeof v === 'string' && /^[A-Za-z0-9-]+$/.test(v);

function isEndpoint(v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'string' || v === '') return false;
  try {
    const url = new URL(v);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

const isCredentials = (v: unknown): boolean =>
  v === undefined ||
  typeof v === 'function' ||
  (isPlainObject(v) &&
    Object.keys(v).every((k) => k === 'accessKeyId' || k === 'secretAccessKey') &&
    typeof v['accessKeyId'] === 'string' &&
    v['accessKeyId'] !== '' &&
    typeof v['secretAccessKey'] === 'string' &&
    v['secretAccessKey'] !== '');

/** The connection options, at the top level (`at` = '') or on a mount. */
function connectionFields(at: string): OptionFieldSpec[] {
  const path = (name: string): string => (at === '' ? name : `${at}.${name}`);
  return [
    {
      path: path('region'),
      // Left out on a mount, the top-level region applies; at the top, the environment's.
      isValid: (v) => (v === undefined ? at !== '' || envRegion !== undefined : isRegionName(v)),
      samples: ['eu-west-3', 'us east'],
    },
    {
      path: path('endpoint'),
      isValid: isEndpoint,
      samples: ['https://s3.example', 'ftp://s3.example', 'http://u:p@h', 'not a url'],
    },
    { path: path('forcePathStyle'), isValid: (v) => v === undefined || typeof v === 'boolean' },
    {
      path: path('credentials'),
      isValid: isCredentials,
      samples: [
        { accessKeyId: 'a', secretAccessKey: 'b' },
        { accessKeyId: 'a' },
        { accessKeyId: 'a', secretAccessKey: 'b', region: 'x' },
      ],
    },
    { path: path('connectTimeoutMs'), isValid: isWhole(1, 600_000), samples: [600_000, 600_001] },
    {
      path: path('requestTimeoutMs'),
      isValid: isWhole(1, 3_600_000),
      samples: [3_600_000, 3_600_001],
    },
    { path: path('maxAttempts'), isValid: isWhole(1, 10), samples: [10, 11] },
  ];
}

describeOptionsFailClosed({
  name: 'createS3FsExtension',
  code: 'FS_INVALID_CONFIG',
  valid: () => ({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
    maxAttempts: 1,
    mounts: {
      a: { bucket: 'bucket-a', prefix: 'docs/', mode: 'read', maxFileSize: 1024 },
      b: { bucket: 'bucket-b' },
    },
  }),
  fields: [
    ...fsCommonTopFields(),
    ...connectionFields(''),
    // No hostile value is a client. (A real client beside the top-level connection options
    // is refused too, but named by the first of those options: see options.test.ts.)
    { path: 'client', isValid: absent },
    ...fsCommonMountFields('a'),
    ...connectionFields('mounts.a'),
    {
      path: 'mounts.a.bucket',
      isValid: (v) => typeof v === 'string' && /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/.test(v),
      samples: ['my.bucket_1', '-bucket', 'a/b'],
    },
    {
      path: 'mounts.a.prefix',
      // Relative, no empty, '.' or '..' segments, no control characters or backslashes.
      isValid: (v) =>
        v === undefined ||
        v === '' ||
        (typeof v === 'string' &&
          ![...v].some((c) => c < ' ' || c === '\u007f' || c === '\\') &&
          v
            .replace(/\/$/, '')
            .split('/')
            .every((segment) => segment !== '' && segment !== '.' && segment !== '..')),
      samples: ['docs', 'a b/', 'a/b/', '/abs', 'a//b', '../up', 'a/./b', 'a\\b', 'a\tb'],
    },
    { path: 'mounts.b.client', isValid: absent },
    {
      path: 'mounts.a.client',
      isValid: (v) => v === undefined || (isPlainObject(v) && typeof v['send'] === 'function'),
      samples: [{ send: () => undefined }, { send: 'x' }],
    },
    { path: 'mounts.a', isValid: () => false },
  ],
  closedObjects: ['', 'mounts.a', 'mounts.b'],
  create: (options) => createS3FsExtension(options as never),
});

describe('null never means default', () => {
  const base = { region: 'us-east-1', credentials: { accessKeyId: 'i', secretAccessKey: 's' } };
  it.each([
    ['mounts.m.mode', { ...base, mounts: { m: { bucket: 'b', mode: null } } }],
    ['mounts.m.prefix', { ...base, mounts: { m: { bucket: 'b', prefix: null } } }],
    ['mounts.m.region', { ...base, mounts: { m: { bucket: 'b', region: null } } }],
    ['region', { ...base, region: null, mounts: { m: { bucket: 'b' } } }],
    ['maxAttempts', { ...base, maxAttempts: null, mounts: { m: { bucket: 'b' } } }],
    ['client', { client: null, mounts: { m: { bucket: 'b' } } }],
  ])('refuses %s: null', (field, options) => {
    let error: unknown;
    try {
      createS3FsExtension(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(RillError.is(error) && error.code).toBe('FS_INVALID_CONFIG');
    expect((error as RillError).details['field']).toBe(field);
  });
});
