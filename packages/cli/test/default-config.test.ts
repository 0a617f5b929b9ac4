import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode, defaultConfig } from '../src/index.js';
import { cli, tempDir } from './helpers/cli.js';

// Each test gets its own working directory: the default mounts live in it.
function freshCwd(): string {
  const dir = join(tempDir(), 'work');
  mkdirSync(dir);
  return dir;
}

const evalIn = (cwd: string, source: string) => cli(['eval', source], { cwd });

describe('the embedded default config (no --config)', () => {
  it('is exactly kv "state" in ./.rill/state.json and fs "files" at the cwd, both read-write', () => {
    expect(defaultConfig('/w')).toEqual({
      source: '(default config)',
      kv: [
        {
          kind: 'kv',
          name: 'state',
          backend: 'json',
          options: { store: '/w/.rill/state.json', mode: 'read-write' },
        },
      ],
      fs: [
        {
          kind: 'fs',
          name: 'files',
          backend: 'local',
          options: { path: '/w', mode: 'read-write' },
        },
      ],
      limits: {},
    });
  });

  it('mounts them as the scripts see them', async () => {
    const cwd = freshCwd();
    const out = await evalIn(
      cwd,
      '[kv::mounts() -> map { [$.name, $.backend, $.mode] }, fs::mounts() -> map { [$.name, $.backend, $.mode] }]',
    );
    expect(out).toEqual({
      code: ExitCode.Ok,
      stdout: '[[["state", "json", "read-write"]], [["files", "local", "read-write"]]]\n',
      stderr: '',
    });
  });

  it('creates nothing for a script that only reads, and .rill/state.json on the first write', async () => {
    const cwd = freshCwd();
    const read = await evalIn(
      cwd,
      '[kv::get_or("state", "n", 0), kv::keys("state"), kv::has("state", "n"), fs::exists("files", "x")]',
    );
    expect(read).toEqual({ code: 0, stdout: '[0, [], false, false]\n', stderr: '' });
    expect(readdirSync(cwd)).toEqual([]);

    const write = await evalIn(cwd, 'kv::set("state", "n", 1)');
    expect(write.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['.rill']);
    expect(readdirSync(join(cwd, '.rill'))).toEqual(['state.json']);
    const stored = JSON.parse(readFileSync(join(cwd, '.rill', 'state.json'), 'utf8')) as {
      values: unknown;
    };
    expect(stored.values).toEqual({ n: 1 });
  });

  it('keeps kv data across runs', async () => {
    const cwd = freshCwd();
    expect((await evalIn(cwd, 'kv::set("state", "greeting", "hello")')).code).toBe(0);
    expect((await evalIn(cwd, 'kv::incr("state", "runs")')).stdout).toBe('1\n');
    expect((await evalIn(cwd, 'kv::incr("state", "runs")')).stdout).toBe('2\n');
    const out = await evalIn(cwd, 'kv::get("state", "greeting")');
    expect(out).toEqual({ code: 0, stdout: 'hello\n', stderr: '' });
  });

  it('reads and writes files in the working directory through "files"', async () => {
    const cwd = freshCwd();
    writeFileSync(join(cwd, 'in.txt'), 'from disk');
    const out = await evalIn(
      cwd,
      'fs::read("files", "in.txt") -> .upper -> fs::write("files", "out/result.txt", $)',
    );
    expect(out.code).toBe(0);
    expect(readFileSync(join(cwd, 'out', 'result.txt'), 'utf8')).toBe('FROM DISK');
    expect(existsSync(join(cwd, '.rill'))).toBe(false);
  });

  it('keeps scripts inside the working directory', async () => {
    const cwd = freshCwd();
    const out = await evalIn(cwd, 'fs::read("files", "../outside.txt")');
    expect(out.code).toBe(ExitCode.ScriptError);
    expect(out.stderr).toMatch(/^FS_PATH_ESCAPE: /);
  });

  it('reports a store folder that is a file as a config error (exit 2)', async () => {
    const cwd = freshCwd();
    writeFileSync(join(cwd, '.rill'), 'not a folder');
    const out = await evalIn(cwd, '1');
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(
      /^rill: \(default config\): kv\.state\.store: .*\(KV_INVALID_CONFIG\)\n$/,
    );
  });
});
