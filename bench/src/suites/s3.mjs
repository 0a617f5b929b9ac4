// S3 fs backend benchmarks: fs::read / fs::write of 1 KiB files through a script against the
// raw GetObject / PutObject they stand on, same client settings, same server, same run. The
// server is the in-memory S3-compatible test server of @rillkit/ext-fs-s3 on a loopback port
// (it runs in this process, so its work is in both figures), or S3_ENDPOINT when set.
import { TextDecoder, TextEncoder } from 'node:util';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createS3FsExtension } from '@rillkit/ext-fs-s3';
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import { measure, ratioRow } from '../harness.mjs';
import { startS3TestServer } from '../../../packages/ext-fs-s3/test/helpers/s3-test-server.mjs';

const GOAL = 1.15;
const CONCURRENCY = 16;

async function target() {
  const endpoint = process.env.S3_ENDPOINT;
  if (endpoint) {
    return {
      label: `S3_ENDPOINT ${new URL(endpoint).host}`,
      bucket: process.env.S3_BUCKET,
      connection: {
        region: process.env.S3_REGION ?? 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: {
          accessKeyId: process.env.AWS_ACCESS_KEY_ID,
          secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
        },
      },
      stop: async () => undefined,
    };
  }
  const server = await startS3TestServer({ buckets: ['bench'] });
  return {
    label: 'in-process test server',
    bucket: 'bench',
    connection: {
      region: 'us-east-1',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    },
    server,
    stop: () => server.stop(),
  };
}

export async function runS3Suite() {
  const rows = [];
  const notes = [];
  const t = await target();
  const prefix = `rillkit-bench-${process.pid}/`;
  // The raw baseline uses the settings the extension gives its own client.
  const raw = new S3Client({
    ...t.connection,
    credentials: { ...t.connection.credentials },
    maxAttempts: 2,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: 2000,
      requestTimeout: 10_000,
      throwOnRequestTimeout: true,
    },
  });
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

    const readAst = parse('fs::read("data", "doc-0.txt")');
    const readNs = await measure(() => execute(readAst, ctx));
    const rawReadNs = await measure(() => rawGet('doc-0.txt'));
    rows.push(ratioRow('s3 fs', 'fs::read 1 KiB via script', readNs, rawReadNs, 'GetObject', GOAL));

    const writeAst = parse('fs::write("data", "doc-0.txt", $body)');
    const writeNs = await measure(() => execute(writeAst, ctx));
    const rawWriteNs = await measure(() => rawPut('doc-0.txt'));
    rows.push(
      ratioRow('s3 fs', 'fs::write 1 KiB via script', writeNs, rawWriteNs, 'PutObject', GOAL),
    );

    const read16Ast = parse('$names -> map { fs::read("data", $) }');
    const read16Ns = await measure(() => execute(read16Ast, ctx), { opsPerCall: CONCURRENCY });
    const rawRead16Ns = await measure(() => Promise.all(names.map(rawGet)), {
      opsPerCall: CONCURRENCY,
    });
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
    const write16Ns = await measure(() => execute(write16Ast, ctx), { opsPerCall: CONCURRENCY });
    const rawWrite16Ns = await measure(() => Promise.all(names.map(rawPut)), {
      opsPerCall: CONCURRENCY,
    });
    rows.push(
      ratioRow(
        's3 fs',
        `fs::write 1 KiB, ${CONCURRENCY} concurrent (map), per write`,
        write16Ns,
        rawWrite16Ns,
        `${CONCURRENCY} concurrent PutObject`,
        GOAL,
      ),
    );

    notes.push(
      `S3 figures: ${t.label}. fs::write sends a LIST (is a folder at the target?) before its PUT, plus one HEAD per parent folder (is a file on the way?), so it costs about two round trips against PutObject's one; fs::read is one GetObject.`,
    );
  } finally {
    await fsx.dispose();
    raw.destroy();
    await t.stop();
  }
  return { rows, notes };
}
