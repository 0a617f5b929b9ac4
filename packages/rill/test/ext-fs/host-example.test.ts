// Imports exactly as STORAGE.md §1 writes them: through the package's own export map, so
// this also proves the `./ext/fs` subpath (it resolves to the built dist/).
import { createRuntimeContext, parse, execute } from '@rillkit/rill';
import { createKvExtension } from '@rillkit/rill/ext/kv';
import { createFsExtension } from '@rillkit/rill/ext/fs';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RillError, toHostValue } from '@rillkit/core';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => void;
let cwd: string;

beforeEach(() => {
  ({ dir, cleanup } = tempDir('host'));
  cwd = process.cwd();
  process.chdir(dir);
  mkdirSync('./data');
});
afterEach(() => {
  process.chdir(cwd);
  cleanup();
});

describe('STORAGE.md §1 host wiring', () => {
  it('runs verbatim', async () => {
    // ---- verbatim from STORAGE.md §1 ----
    const kv = createKvExtension({ mounts: { user: { store: './data/user.json' } } });
    const fs = createFsExtension({ mounts: { data: { path: './data', mode: 'read-write' } } });
    const ctx = createRuntimeContext({ functions: { ...kv.functions, ...fs.functions } });
    const { result } = await execute(parse('kv::set("user", "name", "Alice")\nkv::get("user", "name")'), ctx);
    await kv.dispose(); await fs.dispose();
    // ---- end ----
    expect(result).toBe('Alice');
    expect(readFileSync(join(dir, 'data', 'user.json'), 'utf8')).toContain('Alice');
  });

  it('the fs half through real scripts', async () => {
    const fs = createFsExtension({ mounts: { data: { path: './data', mode: 'read-write' } } });
    const ctx = createRuntimeContext({ functions: { ...fs.functions } });
    const run = async (source: string) => toHostValue((await execute(parse(source), ctx)).result);
    expect(await run('fs::write("data", "notes/a.md", "# hi")')).toBe(4);
    expect(await run('fs::append("data", "notes/a.md", "!")')).toBe(1);
    expect(await run('fs::read("data", "/notes/a.md")')).toBe('# hi!');
    expect(await run('fs::list("data")')).toEqual([{ name: 'notes', type: 'directory', size: 0 }]);
    expect(await run('fs::find("data")')).toEqual(['notes/a.md']);
    expect(await run('fs::exists("data", "notes/b.md")')).toBe(false);
    expect(await run('fs::copy("data", "notes/a.md", "b.md")')).toBe(true);
    expect(await run('fs::stat("data", "b.md")')).toMatchObject({ name: 'b.md', type: 'file', size: 5 });
    expect(await run('fs::mounts()')).toEqual([
      { name: 'data', mode: 'read-write', glob: '', maxFileSize: 10 * 1024 * 1024, backend: 'local' },
    ]);
    for (const [source, code] of [
      ['fs::read("data", "../escape.txt")', 'FS_PATH_ESCAPE'],
      ['fs::read("data", "missing.txt")', 'FS_NOT_FOUND'],
      ['fs::read("nope", "a.txt")', 'FS_UNKNOWN_MOUNT'],
      ['fs::remove("data", "notes")', 'FS_NOT_EMPTY'],
    ]) {
      const error = await execute(parse(source as string), ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(RillError.is(error) && error.code).toBe(code);
    }
    await fs.dispose();
  });
});
