import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// STORAGE.md §1 imports '@rillkit/rill' and its subpaths; inside the package the sources stand in.
import { createRuntimeContext, parse, execute } from '../../src/index.js';
import { createKvExtension } from '../../src/ext/kv/index.js';
import { createFsExtension } from '../../src/ext/fs/index.js';
import { assertBuilt, finished, spawnFixture } from './child-process.js';
import { tempDir } from './helpers.js';

// The body is STORAGE.md §1 character for character (hence no reformatting).
// prettier-ignore
async function hostExample() {
  const kv = createKvExtension({ mounts: { user: { store: './data/user.json' } } });
  const fs = createFsExtension({ mounts: { data: { path: './data', mode: 'read-write' } } });
  const ctx = createRuntimeContext({ functions: { ...kv.functions, ...fs.functions } });
  const { result } = await execute(parse('kv::set("user", "name", "Alice")\nkv::get("user", "name")'), ctx);
  await kv.dispose(); await fs.dispose();
  return result;
}

describe('STORAGE.md §1 host wiring', () => {
  let previous: string;
  beforeEach(() => {
    previous = process.cwd();
    const dir = tempDir();
    mkdirSync(join(dir, 'data'));
    process.chdir(dir);
  });
  afterEach(() => process.chdir(previous));

  it('runs verbatim', async () => {
    expect(await hostExample()).toBe('Alice');
    expect(JSON.parse(readFileSync('./data/user.json', 'utf8'))).toEqual({
      version: 1,
      revision: 1,
      values: { name: 'Alice' },
    });
  });

  it(
    'runs verbatim against the built package by its published names',
    { timeout: 30_000 },
    async () => {
      assertBuilt();
      const run = await finished(spawnFixture('host-example.mjs', [], process.cwd()));
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe('"Alice"');
      expect(JSON.parse(readFileSync('./data/user.json', 'utf8')).values).toEqual({
        name: 'Alice',
      });
    },
  );

  it('the LANGUAGE.md §9 kv example gives "visit 1" on a fresh store, then "visit 2"', async () => {
    const source =
      'kv::get_or("user", "visits", 0) -> ($ + 1) => $n\nkv::set("user", "visits", $n)\n"visit {$n}"';
    for (const expected of ['visit 1', 'visit 2']) {
      const kv = createKvExtension({ mounts: { user: { store: './data/user.json' } } });
      const { result } = await execute(
        parse(source),
        createRuntimeContext({ functions: kv.functions }),
      );
      await kv.dispose();
      expect(result).toBe(expected);
    }
  });

  it('a script sees the stored store file through fs:: as well', async () => {
    const kv = createKvExtension({ mounts: { user: { store: './data/user.json' } } });
    const fs = createFsExtension({ mounts: { data: { path: './data', mode: 'read' } } });
    const ctx = createRuntimeContext({ functions: { ...kv.functions, ...fs.functions } });
    const { result } = await execute(
      parse('kv::set("user", "n", 1)\nfs::read("data", "user.json") -> parse_json -> $.values.n'),
      ctx,
    );
    expect(result).toBe(1);
    await kv.dispose();
    await fs.dispose();
  });
});
