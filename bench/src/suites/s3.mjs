// S3 fs backend benchmarks: fs::read / fs::write of 1 KiB files through a script against the
// raw GetObject / PutObject they stand on, same client settings, same server, same run. The
// server is the local S3-compatible server of @rillkit/test-services (s3rver in a child
// process on a loopback port), or S3_ENDPOINT when set. With the local server the notes also
// give the requests each operation sends, counted by the server: the first write of a path
// (ListObjectsV2 + PutObject, plus a HeadObject per parent folder) and an overwrite of a file
// the process wrote or read (one PutObject with If-Match).
import { TextDecoder, TextEncoder } from 'node:util';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createS3FsExtension } from '@rillkit/ext-fs-s3';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import {
  createS3TestClient,
  deletePrefix,
  gateService,
  resolveS3Target,
} from '@rillkit/test-services';
import { measureAlternating, ratioRow } from '../harness.mjs';

const GOAL = 1.15;
const CONCURRENCY = 16;
// Calls per case, timed one by one in turn with the raw requests (medians): a single request
// here takes milliseconds, so the alternation, not long samples, is what evens out the load
// of a shared machine.
const CALLS = Number(process.env.BENCH_S3_CALLS ?? 400);
const SEQUENTIAL = { calls: CALLS, warmup: 40 };
const CONCURRENT = { calls: Math.ceil(CALLS / 4), warmup: 10, opsPerCall: CONCURRENCY };

/** Requests the local server received while `fn` ran, as `Op×n` text; '' for S3_ENDPOINT. */
async function requestsOf(t, fn) {
  if (t.server === undefined) {
    await fn();
    return '';
  }
  const before = await t.server.requestCounts();
  await fn();
  const after = await t.server.requestCounts();
  return Object.entries(after)
    .map(([op, n]) => [op, n - (before[op] ?? 0)])
    .filter(([, n]) => n > 0)
    .map(([op, n]) => `${op}×${n}`)
    .join(' + ');
}

export async function runS3Suite() {
  const rows = [];
  const notes = [];
  const gated = await gateService('bench s3', () => resolveS3Target({ bucket: 'bench' }));
  if (!gated.available) return { rows, notes: [`S3 suite skipped: ${gated.reason}`] };
  const t = gated.value;
  const prefix = `rillkit-bench-${process.pid}/`;
  // The raw baseline uses the settings the extension gives its own client (checksums only
  // where required, bounded timeouts, two attempts).
  const raw = createS3TestClient(t.connection);
  const fsx = createS3FsExtension({
    ...t.connection,
    mounts: { data: { bucket: t.bucket, prefix } },
  });
  const body = 'x'.repeat(1024);
  const bytes = new TextEncoder().encode(body);
  const names = Array.from({ length: CONCURRENCY }, (_, i) => `doc-${i}.txt`);
  try {
    const ctx = createRuntimeContext({
      functions: { ...fsx.functions },
      variables: { body, names },
    });
    for (const name of names) {
      await execute(parse(`fs::write("data", "${name}", $body)`), ctx);
      await raw.send(
        new PutObjectCommand({ Bucket: t.bucket, Key: `${prefix}raw/${name}`, Body: bytes }),
      );
    }
    const rawGet = async (name) => {
      const out = await raw.send(
        new GetObjectCommand({ Bucket: t.bucket, Key: `${prefix}raw/${name}` }),
      );
      return new TextDecoder().decode(await out.Body.transformToByteArray());
    };
    const rawPut = (name) =>
      raw.send(
        new PutObjectCommand({ Bucket: t.bucket, Key: `${prefix}raw/${name}`, Body: bytes }),
      );
    // The same PUT with If-Match on the ETag the last one returned: what the extension's
    // overwrite sends, so the server's own cost of checking the condition shows apart.
    const etags = new Map();
    const rawConditionalPut = async (name) => {
      const out = await raw.send(
        new PutObjectCommand({
          Bucket: t.bucket,
          Key: `${prefix}raw/${name}`,
          Body: bytes,
          IfMatch: etags.get(name),
        }),
      );
      etags.set(name, out.ETag);
    };
    for (const name of names) etags.set(name, (await rawPut(name)).ETag);

    const readAst = parse('fs::read("data", "doc-0.txt")');
    const [readNs, rawReadNs] = await measureAlternating(
      [() => execute(readAst, ctx), () => rawGet('doc-0.txt')],
      SEQUENTIAL,
    );
    rows.push(ratioRow('s3 fs', 'fs::read 1 KiB via script', readNs, rawReadNs, 'GetObject', GOAL));

    const writeAst = parse('fs::write("data", "doc-0.txt", $body)');
    const [writeNs, rawWriteNs, rawConditionalNs] = await measureAlternating(
      [
        () => execute(writeAst, ctx),
        () => rawPut('doc-0.txt'),
        () => rawConditionalPut('doc-0.txt'),
      ],
      SEQUENTIAL,
    );
    rows.push(
      ratioRow('s3 fs', 'fs::write 1 KiB via script', writeNs, rawWriteNs, 'PutObject', GOAL),
      ratioRow(
        's3 fs',
        'fs::write 1 KiB via script',
        writeNs,
        rawConditionalNs,
        'PutObject with If-Match',
      ),
    );

    const read16Ast = parse('$names -> map { fs::read("data", $) }');
    const [read16Ns, rawRead16Ns] = await measureAlternating(
      [() => execute(read16Ast, ctx), () => Promise.all(names.map(rawGet))],
      CONCURRENT,
    );
    rows.push(
      ratioRow(
        's3 fs',
        `fs::read 1 KiB, ${CONCURRENCY} concurrent (map), per read`,
        read16Ns,
        rawRead16Ns,
        `${CONCURRENCY} concurrent GetObject`,
        GOAL,
      ),
    );

    const write16Ast = parse('$names -> map { fs::write("data", $, $body) }');
    const [write16Ns, rawWrite16Ns, rawConditional16Ns] = await measureAlternating(
      [
        () => execute(write16Ast, ctx),
        () => Promise.all(names.map(rawPut)),
        () => Promise.all(names.map(rawConditionalPut)),
      ],
      CONCURRENT,
    );
    rows.push(
      ratioRow(
        's3 fs',
        `fs::write 1 KiB, ${CONCURRENCY} concurrent (map), per write`,
        write16Ns,
        rawWrite16Ns,
        `${CONCURRENCY} concurrent PutObject`,
        GOAL,
      ),
      ratioRow(
        's3 fs',
        `fs::write 1 KiB, ${CONCURRENCY} concurrent (map), per write`,
        write16Ns,
        rawConditional16Ns,
        `${CONCURRENCY} concurrent PutObject with If-Match`,
      ),
    );

    const requests = [];
    for (const [label, source] of [
      ['fs::read', 'fs::read("data", "doc-0.txt")'],
      [
        'fs::write over a file this process wrote or read (PutObject with If-Match)',
        'fs::write("data", "doc-0.txt", $body)',
      ],
      ['fs::write of a new file', 'fs::write("data", "new.txt", $body)'],
      ['fs::write of a new file two folders deep', 'fs::write("data", "a/b/doc.txt", $body)'],
    ]) {
      const ast = parse(source);
      const sent = await requestsOf(t, () => execute(ast, ctx));
      if (sent !== '') requests.push(`${label} = ${sent}`);
    }
    notes.push(
      `S3 figures: ${t.label}; both sides use one client each with the same settings; each row` +
        ` times ${CALLS} calls (${Math.ceil(CALLS / 4)} for the concurrent rows) one by one, in` +
        ' turn with the raw requests, and compares medians.' +
        ' The fs::write rows overwrite files the script wrote before (the first write of a path' +
        ' checks with a LIST, the overwrite is one conditional PUT).' +
        ' The "PutObject with If-Match" rows time that same conditional request raw: this local' +
        " server checks If-Match by reading the object's ETag file (@rillkit/test-services' s3rver" +
        ' correction); what a conditional PUT costs on AWS S3 or MinIO was not measured here.' +
        (requests.length > 0 ? ` Requests per call: ${requests.join('; ')}.` : ''),
    );
  } finally {
    await fsx.dispose();
    await deletePrefix(raw, t.bucket, prefix).catch(() => undefined);
    raw.destroy();
    await t.close();
  }
  return { rows, notes };
}
