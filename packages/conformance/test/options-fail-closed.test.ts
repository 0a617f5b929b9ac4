// The built-in factories (@rillkit/rill's createKvExtension and createFsExtension) against
// the shared fail-closed property (docs/ref-storage.md, "Options fail closed"). They live
// here rather than in packages/rill because the suite depends on @rillkit/rill.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createFsExtension } from '@rillkit/rill/ext/fs';
import { createKvExtension } from '@rillkit/rill/ext/kv';
import {
  describeOptionsFailClosed,
  fsCommonMountFields,
  fsCommonTopFields,
  kvCommonMountFields,
  kvCommonTopFields,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'rillkit-options-'));
const aFile = join(dir, 'file.txt');
writeFileSync(aFile, 'x');

const isFolder = (path: string): boolean =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

// A store is ':memory:' or a file whose folder exists (createFolders stays false here).
const isStore = (v: unknown): boolean =>
  typeof v === 'string' &&
  v !== '' &&
  (v === ':memory:' || (!isFolder(resolve(v)) && isFolder(dirname(resolve(v)))));

const storeSamples = [':memory:', join(dir, 'other.json'), join(dir, 'missing', 'x.json'), dir];

describeOptionsFailClosed({
  name: 'createKvExtension (json and memory)',
  code: 'KV_INVALID_CONFIG',
  valid: () => ({
    namespace: 'kv',
    createFolders: false,
    mounts: {
      mem: { store: ':memory:', mode: 'read-write', ttl: 60, writePolicy: 'immediate' },
      file: { store: join(dir, 'file.json'), maxEntries: 10, schema: { n: { type: 'number' } } },
    },
  }),
  fields: [
    ...kvCommonTopFields(),
    { path: 'createFolders', isValid: (v) => v === undefined || typeof v === 'boolean' },
    ...['mem', 'file'].flatMap((mount) => [
      ...kvCommonMountFields(mount, ['immediate', 'dispose']),
      { path: `mounts.${mount}.store`, isValid: isStore, samples: storeSamples },
      { path: `mounts.${mount}`, isValid: () => false },
    ]),
  ],
  closedObjects: ['', 'mounts.mem', 'mounts.file'],
  create: (options) => createKvExtension(options as never),
});

describeOptionsFailClosed({
  name: 'createFsExtension (local disk)',
  code: 'FS_INVALID_CONFIG',
  valid: () => ({
    namespace: 'fs',
    mounts: { a: { path: dir, mode: 'read', glob: '*.txt', maxFileSize: 1024 } },
  }),
  fields: [
    ...fsCommonTopFields(),
    ...fsCommonMountFields('a'),
    {
      path: 'mounts.a.path',
      isValid: (v) => typeof v === 'string' && v !== '' && existsSync(v) && isFolder(v),
      samples: [dir, aFile, join(dir, 'missing'), 'a\0b'],
    },
    { path: 'mounts.a', isValid: () => false },
  ],
  closedObjects: ['', 'mounts.a'],
  create: (options) => createFsExtension(options as never),
});
