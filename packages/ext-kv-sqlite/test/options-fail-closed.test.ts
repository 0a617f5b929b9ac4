// Options fail closed (docs/ref-storage.md): every option of createSqliteKvExtension,
// replaced by a hostile value, is refused with KV_INVALID_CONFIG naming it, unless the
// field table says the value is valid. Nothing here opens a database.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import {
  describeOptionsFailClosed,
  kvCommonMountFields,
  kvCommonTopFields,
} from '@rillkit/conformance';
import { RillError } from '@rillkit/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteKvExtension } from '../src/index.js';
// A folder of its own: the helpers' temp folders are removed after every test.
const dir = mkdtempSync(join(tmpdir(), 'rillkit-sqlite-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const isFolder = (path: string): boolean =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

const isDatabase = (v: unknown): boolean =>
  typeof v === 'string' &&
  v !== '' &&
  v !== ':memory:' &&
  !isFolder(resolve(v)) &&
  isFolder(dirname(resolve(v)));

const isTable = (v: unknown): boolean =>
  v === undefined ||
  (typeof v === 'string' &&
    /^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(v) &&
    !/^sqlite_/i.test(v) &&
    v.toLowerCase() !== 'rillkit_kv_meta');

describeOptionsFailClosed({
  name: 'createSqliteKvExtension',
  code: 'KV_INVALID_CONFIG',
  valid: () => ({
    busyTimeout: 100,
    synchronous: 'full',
    mounts: {
      a: { database: join(dir, 'a.db'), table: 'things', mode: 'read', ttl: 5 },
      b: { database: join(dir, 'b.db'), maxStoreSize: 4096 },
    },
  }),
  fields: [
    ...kvCommonTopFields(),
    {
      path: 'busyTimeout',
      isValid: (v) =>
        v === undefined ||
        (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= 2 ** 31 - 1),
      samples: [2 ** 31 - 1, 2 ** 31],
    },
    {
      path: 'synchronous',
      isValid: (v) => v === undefined || v === 'full' || v === 'normal',
      samples: ['full', 'normal', 'off', 'FULL'],
    },
    ...['a', 'b'].flatMap((mount) => [
      ...kvCommonMountFields(mount, ['immediate']),
      {
        path: `mounts.${mount}.database`,
        isValid: isDatabase,
        samples: [':memory:', join(dir, 'c.db'), join(dir, 'missing', 'c.db'), dir],
      },
      {
        path: `mounts.${mount}.table`,
        isValid: isTable,
        samples: ['t_1', 'sqlite_x', 'rillkit_kv_meta', 'a-b', 'x'.repeat(129)],
      },
      { path: `mounts.${mount}`, isValid: () => false },
    ]),
  ],
  closedObjects: ['', 'mounts.a', 'mounts.b'],
  create: (options) => createSqliteKvExtension(options as never),
});

describe('null never means default', () => {
  it.each([
    ['mounts.m.mode', { mounts: { m: { database: join(dir, 'n.db'), mode: null } } }],
    ['mounts.m.writePolicy', { mounts: { m: { database: join(dir, 'n.db'), writePolicy: null } } }],
    ['mounts.m.table', { mounts: { m: { database: join(dir, 'n.db'), table: null } } }],
    ['busyTimeout', { busyTimeout: null, mounts: {} }],
    ['synchronous', { synchronous: null, mounts: {} }],
    ['now', { now: null, mounts: {} }],
  ])('refuses %s: null', (field, options) => {
    let error: unknown;
    try {
      createSqliteKvExtension(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(RillError.is(error) && error.code).toBe('KV_INVALID_CONFIG');
    expect((error as RillError).details['field']).toBe(field);
  });
});
