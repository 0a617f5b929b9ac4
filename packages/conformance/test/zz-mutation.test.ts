import type { HostFunction, HostFunctions, RillValue } from '@rillkit/core';
import { createKvExtension } from '@rillkit/rill/ext/kv';
import { describeKvBackend } from '../src/index.js';

// Temporary: a memory backend with one injected fault, selected by MUTATION.
const mutation = process.env['MUTATION'] ?? '';
function wrap(functions: HostFunctions): HostFunctions {
  const out: Record<string, HostFunction> = { ...functions };
  const orig = (n: string) => functions[n]!;
  const patch = (n: string, fn: HostFunction['fn']) => { out[n] = { ...orig(n), fn }; };
  if (mutation === 'unsorted') patch('kv::keys', async (a, c) => [...((await orig('kv::keys').fn(a, c)) as string[])].reverse());
  if (mutation === 'ttl-ignored') {
    for (const n of ['kv::set', 'kv::add']) patch(n, (a, c) => orig(n).fn([a[0]!, a[1]!, a[2]!, new Map()], c));
  }
  if (mutation === 'racy-incr') patch('kv::incr', async (a, c) => {
    const cur = await orig('kv::get_or').fn([a[0]!, a[1]!, 0], c) as number;
    await new Promise((r) => setTimeout(r, 1));
    const next = cur + ((a[2] as number | undefined) ?? 1);
    await orig('kv::set').fn([a[0]!, a[1]!, next, new Map()], c);
    return next;
  });
  if (mutation === 'getmany-order') patch('kv::getMany', async (a, c) => new Map([...((await orig('kv::getMany').fn(a, c)) as Map<string, RillValue>)].reverse()));
  if (mutation === 'clear-zero') patch('kv::clear', async (a, c) => { await orig('kv::clear').fn(a, c); return 0; });
  if (mutation === 'key-limit-chars') patch('kv::set', async (a, c) => {
    if (typeof a[1] === 'string' && a[1].length <= 1024 && new TextEncoder().encode(a[1]).length > 1024) return true;
    return orig('kv::set').fn(a, c);
  });
  return out;
}
describeKvBackend('mutant-' + mutation, ({ mounts }) => {
  const ext = createKvExtension({ mounts: Object.fromEntries(Object.entries(mounts).map(([k, v]) => [k, { ...v, store: ':memory:' }])) });
  return { functions: wrap(ext.functions), dispose: ext.dispose };
}, { supports: { writePolicyDispose: true } });
