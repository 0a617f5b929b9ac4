import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostFunction, HostFunctions } from '@rillkit/core';
import { createFsExtension } from '@rillkit/rill/ext/fs';
import { describeFsBackend } from '../src/index.js';

const mutation = process.env['MUTATION'] ?? '';
function wrap(functions: HostFunctions): HostFunctions {
  const out: Record<string, HostFunction> = { ...functions };
  const orig = (n: string) => functions[n]!;
  const patch = (n: string, fn: HostFunction['fn']) => { out[n] = { ...orig(n), fn }; };
  if (mutation === 'list-cap') patch('fs::list', async (a, c) => ((await orig('fs::list').fn(a, c)) as unknown[]).slice(0, 1000));
  if (mutation === 'exists-false') patch('fs::exists', async (a, c) => { try { return await orig('fs::exists').fn(a, c); } catch { return false; } });
  if (mutation === 'two-step-write') patch('fs::write', async (a, c) => { await orig('fs::write').fn([a[0]!, a[1]!, ''], c); await new Promise((r) => setTimeout(r, 2)); return orig('fs::write').fn(a, c); });
  if (mutation === 'racy-append') patch('fs::append', async (a, c) => {
    let cur = '';
    try { cur = await orig('fs::read').fn([a[0]!, a[1]!], c) as string; } catch { /* absent */ }
    await new Promise((r) => setTimeout(r, 1));
    await orig('fs::write').fn([a[0]!, a[1]!, cur + (a[2] as string)], c);
    return Buffer.byteLength(a[2] as string);
  });
  if (mutation === 'find-unsorted') patch('fs::find', async (a, c) => [...((await orig('fs::find').fn(a, c)) as string[])].reverse());
  return out;
}
describeFsBackend('mutant-' + mutation, ({ namespace, mounts }) => {
  const base = join(tmpdir(), `rk-mut-${namespace}`);
  const withPaths = Object.fromEntries(Object.entries(mounts).map(([name, o]) => { const path = join(base, name); mkdirSync(path, { recursive: true }); return [name, { ...o, path }]; }));
  const ext = createFsExtension({ mounts: withPaths });
  return { functions: wrap(ext.functions), dispose: ext.dispose, cleanup: () => rm(base, { recursive: true, force: true }) };
});
