// Built-in storage benchmarks: the JSON kv store and the local fs backend, each against the
// raw file-system work it stands on, measured in the same run on the same disk.
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import { createFsExtension } from '@rillkit/rill/ext/fs';
import { createKvExtension } from '@rillkit/rill/ext/kv';
import { measure, ratioRow } from '../harness.mjs';

// The durable baseline: what one acknowledged JSON-store write must cost at least.
async function rawDurableWrite(file, text) {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx');
  await handle.writeFile(text, 'utf8');
  await handle.sync();
  await handle.close();
  await rename(temp, file);
  const dir = await open(join(file, '..'), 'r');
  await dir.sync();
  await dir.close();
}

function storeText(entries) {
  const values = {};
  for (let i = 0; i < entries; i++) values[`key-${i}`] = { n: i, name: `user ${i}` };
  return JSON.stringify({ version: 1, revision: 1, values }, null, 2);
}

export async function runStorageSuite() {
  const rows = [];
  const notes = [];
  const dir = await mkdtemp(join(tmpdir(), 'rillkit-bench-'));
  try {
    // --- JSON kv: durable set, alone and with 16 concurrent writers ---------------------
    const kv = createKvExtension({ mounts: { bench: { store: join(dir, 'kv.json') } } });
    const set = kv.functions['kv::set'];
    const get = kv.functions['kv::get'];
    const callCtx = { name: 'kv::set', signal: new AbortController().signal, span: undefined, invoke: async () => '' };
    for (let i = 0; i < 100; i++) await set.fn(['bench', `key-${i}`, new Map([['n', i]]), new Map()], callCtx);
    const rawFile = join(dir, 'raw.json');
    const text = storeText(100);
    let n = 0;
    const setNs = await measure(() => set.fn(['bench', 'key-1', new Map([['n', n++]]), new Map()], callCtx), { samples: 3 });
    const rawNs = await measure(() => rawDurableWrite(rawFile, text), { samples: 3 });
    rows.push(ratioRow('json kv', 'durable kv::set (100-key store), one writer', setNs, rawNs, 'temp+fsync+rename'));

    const burst = (fn) => Promise.all(Array.from({ length: 16 }, (_, i) => fn(i)));
    const set16Ns = await measure(
      () => burst((i) => set.fn(['bench', `key-${i}`, new Map([['n', n++]]), new Map()], callCtx)),
      { samples: 3, opsPerCall: 16 },
    );
    const raw16Ns = await measure(() => burst((i) => rawDurableWrite(join(dir, `raw-${i}.json`), text)), {
      samples: 3,
      opsPerCall: 16,
    });
    rows.push(ratioRow('json kv', 'durable kv::set, 16 concurrent writers (per write)', set16Ns, raw16Ns, '16 concurrent raw durable writes'));
    notes.push(
      'JSON kv groups concurrent writes into one file write, so with 16 writers each acknowledged set costs a fraction of a raw durable write.',
    );

    // --- kv::get through a script vs a Map lookup ---------------------------------------
    // For 2 s after a write the JSON store also peeks at the file's revision on every read
    // (to catch two writes within one mtime tick); measure the steady state after that.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const getAst = parse('kv::get("bench", "key-7")');
    const ctx = createRuntimeContext({ functions: { ...kv.functions } });
    const map = new Map([['key-7', new Map([['n', 7]])]]);
    const scriptGetNs = await measure(() => execute(getAst, ctx));
    const directGetNs = await measure(() => get.fn(['bench', 'key-7'], callCtx));
    const mapNs = await measure(() => map.get('key-7'));
    rows.push(ratioRow('json kv', 'kv::get via script', scriptGetNs, mapNs, 'Map.get'));
    rows.push(ratioRow('json kv', 'kv::get via direct host call', directGetNs, mapNs, 'Map.get'));
    notes.push(
      'JSON kv reads are measured 2 s after the last write; within 2 s of a write each read also re-reads the file revision (about 20 µs more).',
    );
    await kv.dispose();

    // --- local fs: read and write vs fs.promises ----------------------------------------
    const root = join(dir, 'files');
    await rm(root, { recursive: true, force: true });
    await import('node:fs/promises').then((m) => m.mkdir(root));
    const fsx = createFsExtension({ mounts: { data: { path: root, mode: 'read-write' } } });
    const fctx = createRuntimeContext({ functions: { ...fsx.functions } });
    const body = 'x'.repeat(1024);
    await writeFile(join(root, 'raw.txt'), body);
    await execute(parse(`fs::write("data", "doc.txt", "${body}")`), fctx);
    const readAst = parse('fs::read("data", "doc.txt")');
    const readNs = await measure(() => execute(readAst, fctx));
    const rawReadNs = await measure(() => readFile(join(root, 'raw.txt'), 'utf8'));
    rows.push(ratioRow('local fs', 'fs::read 1 KiB via script', readNs, rawReadNs, 'fs.promises.readFile'));
    const writeAst = parse(`fs::write("data", "doc.txt", $body)`);
    const wctx = createRuntimeContext({ functions: { ...fsx.functions }, variables: { body } });
    const writeNs = await measure(() => execute(writeAst, wctx), { samples: 3 });
    const rawWriteNs = await measure(() => rawDurableWrite(join(root, 'raw.txt'), body), { samples: 3 });
    const plainWriteNs = await measure(() => writeFile(join(root, 'raw.txt'), body), { samples: 3 });
    rows.push(ratioRow('local fs', 'fs::write 1 KiB via script (atomic)', writeNs, rawWriteNs, 'temp+fsync+rename'));
    rows.push(ratioRow('local fs', 'fs::write 1 KiB via script (atomic)', writeNs, plainWriteNs, 'fs.promises.writeFile, not atomic'));
    await fsx.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}
