import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, loadConfig } from '../src/index.js';
import { cli, tempDir, writeConfig, writeFile } from './helpers/cli.js';

const dir = tempDir();
mkdirSync(join(dir, 'a-folder'));

type BadConfig = readonly [name: string, config: unknown, field: string | undefined];

/** Problems the CLI finds in the file itself, with the field it names (none = the whole file). */
const STATIC_ERRORS: readonly BadConfig[] = [
  ['an unknown section', { kv: {}, mounts: {} }, 'mounts'],
  [
    'an unknown mount option',
    { kv: { s: { backend: 'json', store: 'x.json', bogus: 1 } } },
    'kv.s.bogus',
  ],
  [
    'an option of another backend',
    { kv: { s: { backend: 'memory', store: 'x.json' } } },
    'kv.s.store',
  ],
  ['an unknown limit', { limits: { memry: 10 } }, 'limits.memry'],
  [
    'an unknown credentials field',
    {
      fs: {
        d: {
          backend: 's3',
          bucket: 'b',
          credentials: { accessKeyId: 'a', secretAccessKey: 's', token: 't' },
        },
      },
    },
    'fs.d.credentials.token',
  ],
  ['a config that is not an object', [1, 2], undefined],
  ['a section that is not an object', { kv: [] }, 'kv'],
  ['a mount that is not an object', { fs: { files: './files' } }, 'fs.files'],
  ['a string option of the wrong type', { kv: { s: { backend: 'json', store: 5 } } }, 'kv.s.store'],
  [
    'a number option of the wrong type',
    { kv: { s: { backend: 'memory', ttl: '60' } } },
    'kv.s.ttl',
  ],
  [
    'a fractional integer option',
    { kv: { s: { backend: 'memory', maxEntries: 1.5 } } },
    'kv.s.maxEntries',
  ],
  [
    'a boolean option of the wrong type',
    { fs: { d: { backend: 's3', bucket: 'b', forcePathStyle: 'yes' } } },
    'fs.d.forcePathStyle',
  ],
  ['null', { kv: { s: { backend: 'json', store: null } } }, 'kv.s.store'],
  [
    'a mode outside read, write, read-write',
    { fs: { f: { backend: 'local', path: '.', mode: 'rw' } } },
    'fs.f.mode',
  ],
  ['a limit that is not a positive integer', { limits: { timeout: 0 } }, 'limits.timeout'],
  ['an unknown kv backend', { kv: { s: { backend: 'mongo' } } }, 'kv.s.backend'],
  ['an fs backend under kv', { kv: { s: { backend: 'local', path: '.' } } }, 'kv.s.backend'],
  ['a missing backend', { kv: { s: { store: 'x.json' } } }, 'kv.s.backend'],
  ['a missing store', { kv: { s: { backend: 'json' } } }, 'kv.s.store'],
  [
    'a missing redis prefix',
    { kv: { s: { backend: 'redis', url: 'redis://127.0.0.1' } } },
    'kv.s.prefix',
  ],
  ['a missing local path', { fs: { f: { backend: 'local' } } }, 'fs.f.path'],
  ['a missing s3 bucket', { fs: { d: { backend: 's3', region: 'us-east-1' } } }, 'fs.d.bucket'],
  ['an empty required value', { fs: { f: { backend: 'local', path: '' } } }, 'fs.f.path'],
  [
    'a missing environment variable',
    { kv: { j: { backend: 'redis', url: '${RILL_TEST_UNSET}', prefix: 'p:' } } },
    'kv.j.url',
  ],
  [
    'a malformed environment reference',
    { fs: { f: { backend: 'local', path: '${not a name}' } } },
    'fs.f.path',
  ],
];

/** Options the backend factories themselves reject, reported on the config's field. */
const FACTORY_ERRORS: readonly BadConfig[] = [
  [
    'a sqlite table name the backend rejects',
    { kv: { u: { backend: 'sqlite', database: './u.db', table: 'sqlite_x' } } },
    'kv.u.table',
  ],
  [
    'a sqlite folder that does not exist',
    { kv: { u: { backend: 'sqlite', database: './nowhere/u.db' } } },
    'kv.u.database',
  ],
  [
    'a redis url that is not redis://',
    { kv: { j: { backend: 'redis', url: 'http://x', prefix: 'p:' } } },
    'kv.j.url',
  ],
  [
    'a local folder that does not exist',
    { fs: { f: { backend: 'local', path: './nowhere' } } },
    'fs.f.path',
  ],
  [
    'a kv option core rejects',
    { kv: { s: { backend: 'memory', maxEntries: 0 } } },
    'kv.s.maxEntries',
  ],
  [
    'a bad schema',
    { kv: { s: { backend: 'memory', schema: { n: { type: 'int' } } } } },
    'kv.s.schema.n.type',
  ],
  [
    'a write policy the backend lacks',
    {
      kv: {
        j: { backend: 'redis', url: 'redis://127.0.0.1', prefix: 'p:', writePolicy: 'dispose' },
      },
    },
    'kv.j.writePolicy',
  ],
  [
    'an s3 option the backend rejects',
    { fs: { d: { backend: 's3', bucket: 'b', region: 'us-east-1', maxAttempts: 0 } } },
    'fs.d.maxAttempts',
  ],
  [
    'an s3 prefix the backend rejects',
    { fs: { d: { backend: 's3', bucket: 'b', region: 'us-east-1', prefix: '../up' } } },
    'fs.d.prefix',
  ],
];

const BAD_CONFIGS = [...STATIC_ERRORS, ...FACTORY_ERRORS];

describe('config errors: exit 2, naming the file, the field and the reason', () => {
  it.each(BAD_CONFIGS)('%s', async (_name, config, field) => {
    const file = writeConfig(dir, `bad-${Math.random().toString(36).slice(2)}.json`, config);
    const out = await cli(['eval', 'log("ran")', '--config', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stdout).toBe('');
    const where = field === undefined ? `rill: ${file}: ` : `rill: ${file}: ${field}: `;
    expect(out.stderr.startsWith(where)).toBe(true);
    expect(out.stderr.slice(where.length).trim()).not.toBe('');
    // Nothing ran, and no stack trace without --verbose.
    expect(out.stderr).not.toContain('ran');
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the field in the error object for static problems', async () => {
    for (const [, config, field] of STATIC_ERRORS) {
      const file = writeConfig(dir, 'static.json', config);
      const error = await loadConfig(file, { cwd: dir, env: {} }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect([(error as ConfigError).source, (error as ConfigError).field]).toEqual([file, field]);
    }
  });

  it('invalid JSON: the line and column of the syntax error', async () => {
    const file = writeFile(
      dir,
      'syntax.json',
      '{\n  "kv": {\n    "s": { "backend": "memory", }\n  }\n}\n',
    );
    const out = await cli(['run', 'x.rill', '--config', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: syntax\.json:3:33: invalid JSON: /);
    const error = (await loadConfig(file, { cwd: dir }).catch((e: unknown) => e)) as ConfigError;
    expect([error.line, error.column, error.field]).toEqual([3, 33, undefined]);
  });

  it('invalid JSON: an unexpected end is at the end of the file', async () => {
    const file = writeFile(dir, 'cut.json', '{\n  "kv": {');
    const out = await cli(['eval', '1', '--config', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: cut\.json:2:10: invalid JSON: /);
  });

  it('an empty file is invalid JSON', async () => {
    const out = await cli(['eval', '1', '--config', writeFile(dir, 'empty.json', '')], {
      cwd: dir,
    });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: empty\.json:1:1: invalid JSON: /);
  });

  it.each([
    ['a missing file', 'missing.json', 'ENOENT'],
    ['a folder', 'a-folder', 'EISDIR'],
  ])('an unreadable config: %s', async (_name, file, code) => {
    const out = await cli(['eval', '1', '--config', file], { cwd: dir });
    expect(out).toEqual({
      code: ExitCode.Usage,
      stdout: '',
      stderr: `rill: ${file}: cannot read the config file (${code})\n`,
    });
  });

  // root reads any file whatever its mode, so the case only exists for other users.
  it.skipIf(process.getuid?.() === 0)('an unreadable config: no permission', async () => {
    const file = writeConfig(dir, 'locked.json', {});
    chmodSync(join(dir, file), 0o000);
    const out = await cli(['eval', '1', '--config', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toBe(`rill: ${file}: cannot read the config file (EACCES)\n`);
  });

  it('checks the config before reading the script', async () => {
    const out = await cli(['run', 'missing.rill', '--config', 'missing.json'], { cwd: dir });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: missing\.json: /);
  });

  it('--verbose adds the cause of a backend rejection', async () => {
    const file = writeConfig(dir, 'verbose.json', { kv: { s: { backend: 'memory', ttl: -1 } } });
    const quiet = await cli(['eval', '1', '--config', file], { cwd: dir });
    const loud = await cli(['eval', '1', '--config', file, '--verbose'], { cwd: dir });
    expect([quiet.code, loud.code]).toEqual([2, 2]);
    expect(quiet.stderr).toMatch(/^rill: verbose\.json: kv\.s\.ttl: .*\(KV_INVALID_CONFIG\)\n$/);
    expect(loud.stderr).toMatch(/\ncaused by: RillBackendError: .*\n\s+at /);
  });
});
