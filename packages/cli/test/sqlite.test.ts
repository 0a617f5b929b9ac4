import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { cli, spawnRill, tempDir, writeConfig } from './helpers/cli.js';

// A real SQLite database file, created by the CLI through @rillkit/ext-kv-sqlite.
describe('sqlite mounts', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'run'));
  const config = writeConfig(dir, 'rill.config.json', {
    kv: {
      user: {
        backend: 'sqlite',
        database: './data/app.db',
        table: 'user_state',
        schema: { name: { type: 'string', default: '' }, visits: { type: 'number' } },
      },
      events: { backend: 'sqlite', database: './data/app.db', synchronous: 'normal' },
      scratch: { backend: 'memory' },
    },
  });
  const path = join(dir, config);
  const run = (source: string) =>
    cli(['eval', source, '--config', path], { cwd: join(dir, 'run') });

  it('store data in the database file and keep it across runs', async () => {
    const first = await run(
      'kv::set("user", "name", "ada") -> kv::incr("user", "visits") -> kv::set("events", "e1", [kind: "login"])',
    );
    expect(first).toEqual({ code: ExitCode.Ok, stdout: 'true\n', stderr: '' });
    expect(existsSync(join(dir, 'data', 'app.db'))).toBe(true);
    const second = await run(
      '[kv::get("user", "name"), kv::incr("user", "visits"), kv::get("events", "e1").kind, kv::mounts() -> map { $.backend }]',
    );
    expect(second.stdout).toBe('["ada", 2, "login", ["sqlite", "sqlite", "memory"]]\n');
  });

  it('enforce the declared schema', async () => {
    const out = await run('kv::set("user", "email", "x@y")');
    expect(out.code).toBe(ExitCode.ScriptError);
    expect(out.stderr).toMatch(/^KV_UNDECLARED_KEY: /);
  });

  it('work from the built binary too', () => {
    const out = spawnRill(['eval', 'kv::get("user", "name")', '--config', path], dir);
    expect([out.status, out.stdout, out.stderr]).toEqual([0, 'ada\n', '']);
  });
});
