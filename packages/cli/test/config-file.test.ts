import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, type ModuleLoader, importModule, loadConfig } from '../src/index.js';
import { cli, tempDir, writeConfig } from './helpers/cli.js';

const root = tempDir();
// The config lives in project/, the runs happen in elsewhere/: relative paths in the
// config must resolve against the config file's folder, not the working directory.
const project = join(root, 'project');
const elsewhere = join(root, 'elsewhere');
mkdirSync(join(project, 'files'), { recursive: true });
mkdirSync(elsewhere);
const config = join(project, 'rill.config.json');
writeConfig(project, 'rill.config.json', {
  kv: {
    state: { backend: 'json', store: './data/state.json', mode: 'read-write' },
    cache: { backend: 'memory', mode: 'read-write', ttl: 60 },
    settings: {
      backend: 'json',
      store: './data/settings.json',
      mode: 'read',
      schema: { theme: { type: 'string', default: 'dark' } },
    },
  },
  fs: {
    files: { backend: 'local', path: './files', mode: 'read-write' },
    docs: { backend: 'local', path: '.', mode: 'read', glob: '*.json' },
  },
  limits: { iterations: 50 },
});

function run(source: string, ...extra: string[]) {
  return cli(['eval', source, '--config', config, ...extra], { cwd: elsewhere });
}

describe('a config with json, memory and local mounts', () => {
  it('mounts exactly what the file names, in file order', async () => {
    const out = await run(
      '[kv::mounts() -> map { "{$.name}:{$.backend}:{$.mode}" }, fs::mounts() -> map { "{$.name}:{$.backend}:{$.mode}" }]',
    );
    expect(out).toEqual({
      code: ExitCode.Ok,
      stdout:
        '[["state:json:read-write", "cache:memory:read-write", "settings:json:read"], ["files:local:read-write", "docs:local:read"]]\n',
      stderr: '',
    });
  });

  it('resolves store and path against the config folder, creating the store folder on write', async () => {
    expect(existsSync(join(project, 'data'))).toBe(false);
    const out = await run(
      'kv::set("state", "k", "v") -> fs::write("files", "note.txt", "hi") -> kv::get("settings", "theme")',
    );
    expect(out).toEqual({ code: 0, stdout: 'dark\n', stderr: '' });
    expect(readFileSync(join(project, 'files', 'note.txt'), 'utf8')).toBe('hi');
    expect(JSON.parse(readFileSync(join(project, 'data', 'state.json'), 'utf8'))).toMatchObject({
      values: { k: 'v' },
    });
    expect(existsSync(join(elsewhere, '.rill'))).toBe(false);
    expect(existsSync(join(project, 'data', 'settings.json'))).toBe(false);
  });

  it('keeps json data across runs but memory data only within one run', async () => {
    expect((await run('kv::set("state", "n", 7) -> kv::set("cache", "n", 7)')).code).toBe(0);
    const out = await run('[kv::get_or("state", "n", 0), kv::get_or("cache", "n", 0)]');
    expect(out.stdout).toBe('[7, 0]\n');
  });

  it('applies each mount its own mode, glob and schema', async () => {
    const cases: [string, string][] = [
      ['kv::set("settings", "theme", "light")', 'KV_READ_ONLY'],
      ['kv::set("settings", "color", "red")', 'KV_READ_ONLY'],
      ['fs::write("docs", "x.json", "[]")', 'FS_READ_ONLY'],
      ['fs::read("docs", "files/note.txt")', 'FS_GLOB_DENIED'],
    ];
    for (const [source, code] of cases) {
      const out = await run(source);
      expect([source, out.code, out.stderr.split(':')[0]]).toEqual([source, 1, code]);
    }
    expect((await run('fs::read("docs", "rill.config.json") -> parse_json -> .keys')).stdout).toBe(
      '["kv", "fs", "limits"]\n',
    );
  });

  it('routes each call to its mount and lists every mount for an unknown one', async () => {
    const kv = await run('kv::get("nope", "k")');
    expect(kv.code).toBe(1);
    expect(kv.stderr).toMatch(/^KV_UNKNOWN_MOUNT: /);
    const fs = await run('fs::read("nope", "k")');
    expect(fs.code).toBe(1);
    expect(fs.stderr).toMatch(/^FS_UNKNOWN_MOUNT: /);
  });

  it('applies the limits section; --timeout overrides limits.timeout', async () => {
    const out = await run('range(0, 100) -> each { $ }');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^LIMIT_ITERATIONS: /);
    const slow = writeConfig(root, 'slow.json', { limits: { timeout: 60_000 } });
    const timed = await cli(
      [
        'eval',
        'range(0, 10000) -> each { range(0, 10000) -> each { $ } }',
        '-c',
        slow,
        '--timeout',
        '50',
      ],
      { cwd: root },
    );
    expect(timed.code).toBe(1);
    expect(timed.stderr).toMatch(/^LIMIT_TIMEOUT: /);
  });

  it('applies the run budgets of the limits section: steps, memory, depth', async () => {
    const budgets = writeConfig(root, 'budgets.json', {
      limits: { steps: 100, memory: 65_536, depth: 3 },
    });
    const cases: [string, string][] = [
      ['range(0, 60) -> each { range(0, 60) -> each { $ } }', 'LIMIT_STEPS'],
      ['range(0, 20) -> fold("x") { "{$@}{$@}" }', 'LIMIT_MEMORY'],
      ['[[[[1]]]]', 'LIMIT_VALUE_DEPTH'],
    ];
    for (const [source, code] of cases) {
      const out = await cli(['eval', source, '-c', budgets], { cwd: root });
      expect(out.code, out.stderr).toBe(1);
      expect(out.stderr.startsWith(`${code}: `), out.stderr).toBe(true);
    }
    const ok = await cli(['eval', '[[[1]]] -> .len', '-c', budgets], { cwd: root });
    expect(ok.stdout.trim()).toBe('1');
  });

  it('mounts nothing a config leaves out', async () => {
    const empty = writeConfig(root, 'empty.json', {});
    const out = await cli(['eval', 'kv::get("state", "n")', '-c', empty], { cwd: root });
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^EVAL_UNKNOWN_FUNCTION: /);
  });

  it('is the same config from any working directory', async () => {
    const a = await loadConfig('rill.config.json', { cwd: project });
    const b = await loadConfig(config, { cwd: elsewhere });
    expect(a.kv).toEqual(b.kv);
    expect(a.kv[0]?.options['store']).toBe(join(project, 'data', 'state.json'));
  });
});

describe('backend packages', () => {
  const loaded: string[] = [];
  const spy: ModuleLoader = (specifier) => {
    loaded.push(specifier);
    return importModule(specifier);
  };

  it('are loaded only when a mount uses them', async () => {
    loaded.length = 0;
    expect((await cli(['eval', '1'], { cwd: elsewhere, loadModule: spy })).code).toBe(0);
    const withConfig = await cli(['eval', '1', '-c', config], { cwd: elsewhere, loadModule: spy });
    expect(withConfig.code).toBe(0);
    expect(loaded).toEqual([]);
    const sqlite = writeConfig(root, 'sqlite-only.json', {
      kv: { a: { backend: 'sqlite', database: './lazy.db' } },
    });
    expect((await cli(['eval', '1', '-c', sqlite], { cwd: root, loadModule: spy })).code).toBe(0);
    expect(loaded).toEqual(['@rillkit/ext-kv-sqlite']);
  });
});

describe('extension instances', () => {
  it('one per backend and set of extension-level options', async () => {
    const calls: unknown[] = [];
    const loader: ModuleLoader = async (specifier) => {
      const real = (await importModule(specifier)) as Record<string, (o: unknown) => unknown>;
      const name = 'createSqliteKvExtension';
      return {
        [name]: (options: unknown) => {
          calls.push(options);
          return real[name]?.(options);
        },
      };
    };
    const file = writeConfig(root, 'groups.json', {
      kv: {
        a: { backend: 'sqlite', database: './g.db', busyTimeout: 100 },
        b: { backend: 'sqlite', database: './g.db', table: 'other', busyTimeout: 100 },
        c: { backend: 'sqlite', database: './g.db', table: 'third', busyTimeout: 200 },
      },
    });
    const out = await cli(
      [
        'eval',
        'kv::set("a", "k", 1) -> kv::set("b", "k", 2) -> kv::set("c", "k", 3) -> [kv::get("a", "k"), kv::get("b", "k"), kv::get("c", "k")]',
        '-c',
        file,
      ],
      { cwd: root, loadModule: loader },
    );
    expect(out).toEqual({ code: 0, stdout: '[1, 2, 3]\n', stderr: '' });
    expect(calls).toEqual([
      {
        busyTimeout: 100,
        mounts: {
          a: { database: join(root, 'g.db') },
          b: { database: join(root, 'g.db'), table: 'other' },
        },
      },
      { busyTimeout: 200, mounts: { c: { database: join(root, 'g.db'), table: 'third' } } },
    ]);
  });
});

describe('json stores', () => {
  it('a store below a file is a config error naming the field', async () => {
    writeFileSync(join(root, 'plain-file'), '');
    const file = writeConfig(root, 'under-file.json', {
      kv: { s: { backend: 'json', store: './plain-file/state.json' } },
    });
    const out = await cli(['eval', '1', '-c', file], { cwd: root });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: under-file\.json: kv\.s\.store: .*\(KV_INVALID_CONFIG\)\n$/);
  });

  it('two mounts on one file are a config error', async () => {
    const file = writeConfig(root, 'same-file.json', {
      kv: {
        a: { backend: 'json', store: './same/s.json' },
        b: { backend: 'json', store: './same/../same/s.json' },
      },
    });
    const out = await cli(['eval', '1', '-c', file], { cwd: root });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: same-file\.json: kv\.b\.store: /);
  });

  it('buffered writes (writePolicy dispose) reach the file when the run ends', async () => {
    const file = writeConfig(root, 'buffered.json', {
      kv: { s: { backend: 'json', store: './buffered/s.json', writePolicy: 'dispose' } },
    });
    const out = await cli(['eval', 'range(0, 5) -> each { kv::incr("s", "n") }', '-c', file], {
      cwd: root,
    });
    expect(out.code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'buffered', 's.json'), 'utf8'))).toMatchObject({
      values: { n: 5 },
    });
  });
});
