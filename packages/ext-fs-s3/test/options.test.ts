import {
  CreateBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { RillError, type ExtensionResult } from '@rillkit/core';
import {
  type LocalS3Server,
  createS3TestClient,
  gateService,
  listKeys,
  startS3Server,
} from '@rillkit/test-services';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createS3FsExtension, type S3FsOptions } from '../src/index.js';
import { run } from './helpers/run.js';

// Option validation needs no server; the tests that write use a local one (each test in
// buckets of its own), or one of their own when they need it to behave differently.
const shared = await gateService('@rillkit/ext-fs-s3: S3 option tests', () => startS3Server());
const raw = shared.available ? createS3TestClient(shared.value.connection) : undefined;
afterAll(async () => {
  raw?.destroy();
  if (shared.available) await shared.value.stop();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

let bucketCount = 0;

/** Fresh empty buckets on the shared server. */
async function buckets<T extends string[]>(...names: T): Promise<T> {
  const made = names.map((name) => `${name}-${bucketCount++}`) as T;
  for (const bucket of made) await raw?.send(new CreateBucketCommand({ Bucket: bucket }));
  return made;
}

/** `describe` with the shared server, or `describe.skip` with the reason there is none. */
function describeWithServer(title: string, body: (server: LocalS3Server) => void): void {
  if (shared.available) describe(title, () => body(shared.value));
  else describe.skip(`${title} (skipped: ${shared.reason})`, () => undefined);
}

function track(ext: ExtensionResult): ExtensionResult {
  cleanups.push(() => ext.dispose());
  return ext;
}

function configError(options: unknown): RillError {
  try {
    track(createS3FsExtension(options as S3FsOptions));
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error(`expected FS_INVALID_CONFIG for ${JSON.stringify(options)}`);
}

const CONNECTION = {
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:9',
  forcePathStyle: true,
  credentials: { accessKeyId: 'key', secretAccessKey: 'sekrit-value' },
};

describe('configuration', () => {
  it('refuses bad options with FS_INVALID_CONFIG naming the field', () => {
    const mount = { bucket: 'bkt' };
    const clients = [1, 2, 3].map(() => new S3Client({ region: 'us-east-1' }));
    const cases: [unknown, string][] = [
      [{ ...CONNECTION, mounts: { m: {} } }, 'mounts.m.bucket'],
      [{ ...CONNECTION, mounts: { m: { bucket: 'a/b' } } }, 'mounts.m.bucket'],
      [{ ...CONNECTION, mounts: { m: { ...mount, prefix: '/abs/' } } }, 'mounts.m.prefix'],
      [{ ...CONNECTION, mounts: { m: { ...mount, prefix: 'a//b/' } } }, 'mounts.m.prefix'],
      [{ ...CONNECTION, mounts: { m: { ...mount, prefix: 'a/../b' } } }, 'mounts.m.prefix'],
      [{ ...CONNECTION, mounts: { m: { ...mount, prefix: 5 } } }, 'mounts.m.prefix'],
      [{ ...CONNECTION, endpoint: 'ftp://x', mounts: { m: mount } }, 'endpoint'],
      [{ ...CONNECTION, endpoint: 'http://u:p@host', mounts: { m: mount } }, 'endpoint'],
      [{ ...CONNECTION, forcePathStyle: 'yes', mounts: { m: mount } }, 'forcePathStyle'],
      [
        { ...CONNECTION, credentials: { accessKeyId: 'k' }, mounts: { m: mount } },
        'credentials.secretAccessKey',
      ],
      [
        {
          ...CONNECTION,
          credentials: { accessKeyId: undefined, secretAccessKey: 's' },
          mounts: { m: mount },
        },
        'credentials.accessKeyId',
      ],
      [
        {
          ...CONNECTION,
          credentials: { ...CONNECTION.credentials, token: 'x' },
          mounts: { m: mount },
        },
        'credentials.token',
      ],
      [{ ...CONNECTION, connectTimeoutMs: 0, mounts: { m: mount } }, 'connectTimeoutMs'],
      [{ ...CONNECTION, requestTimeoutMs: 1.5, mounts: { m: mount } }, 'requestTimeoutMs'],
      [{ ...CONNECTION, maxAttempts: 11, mounts: { m: mount } }, 'maxAttempts'],
      [{ ...CONNECTION, mounts: { m: { ...mount, region: 'bad region' } } }, 'mounts.m.region'],
      [{ ...CONNECTION, colour: 'blue', mounts: { m: mount } }, 'colour'],
      [{ ...CONNECTION, client: {}, mounts: { m: mount } }, 'client'],
      [{ region: 'us-east-1', client: clients[0], mounts: { m: mount } }, 'region'],
      [
        { mounts: { m: { ...mount, client: clients[1], endpoint: 'http://x' } } },
        'mounts.m.endpoint',
      ],
      [{ region: 'us-east-1', mounts: { m: { ...mount, client: clients[2] } } }, 'region'],
    ];
    for (const [options, field] of cases) {
      const err = configError(options);
      expect(err.code, field).toBe('FS_INVALID_CONFIG');
      expect(err.details['field'], err.message).toBe(field);
      expect(err.message).not.toContain('sekrit-value');
    }
    for (const client of clients) client.destroy();
  });

  it('needs a region from the options or the environment', () => {
    const saved = { r: process.env['AWS_REGION'], d: process.env['AWS_DEFAULT_REGION'] };
    delete process.env['AWS_REGION'];
    delete process.env['AWS_DEFAULT_REGION'];
    try {
      const err = configError({ mounts: { m: { bucket: 'bkt' } } });
      expect(err.details['field']).toBe('region');
      process.env['AWS_REGION'] = 'eu-west-1';
      track(createS3FsExtension({ mounts: { m: { bucket: 'bkt' } } }));
    } finally {
      if (saved.r === undefined) delete process.env['AWS_REGION'];
      else process.env['AWS_REGION'] = saved.r;
      if (saved.d !== undefined) process.env['AWS_DEFAULT_REGION'] = saved.d;
    }
  });
});

describeWithServer('configuration on a server', (s) => {
  const keysOf = (bucket: string) => listKeys(raw as S3Client, bucket, '');

  it('accepts the issue example: per-mount region, bucket, prefix and credentials', async () => {
    const [bkt] = await buckets('bkt');
    const fs = track(
      createS3FsExtension({
        mounts: {
          data: {
            mode: 'read-write',
            region: 'us-east-1',
            endpoint: s.endpoint,
            forcePathStyle: true,
            bucket: bkt,
            prefix: 'documents',
            credentials: { ...s.credentials },
          },
        },
      }),
    );
    await run(fs, 'fs::write("data", "a.txt", "x")');
    expect(await keysOf(bkt)).toEqual(['documents/a.txt']);
    const mounts = await run(fs, 'fs::mounts()');
    expect(
      JSON.stringify((mounts as Map<string, unknown>[]).map((m) => Object.fromEntries(m))),
    ).toBe(
      JSON.stringify([
        { name: 'data', mode: 'read-write', glob: '', maxFileSize: 10_485_760, backend: 's3' },
      ]),
    );
  });

  it('mounts overlay top-level connection options; a host client is used and never destroyed', async () => {
    const [bkt, other] = await buckets('bkt', 'other');
    const hostClient = createS3TestClient(s.connection);
    cleanups.push(async () => hostClient.destroy());
    const fs = createS3FsExtension({
      ...s.connection,
      endpoint: 'http://127.0.0.1:9',
      mounts: {
        own: { bucket: bkt, prefix: 'own/', endpoint: s.endpoint },
        host: { bucket: other, client: hostClient },
      },
    });
    await run(fs, 'fs::write("own", "a.txt", "1")\nfs::write("host", "b.txt", "2")');
    expect(await keysOf(bkt)).toEqual(['own/a.txt']);
    expect(await keysOf(other)).toEqual(['b.txt']);
    await fs.dispose();
    // The host's client still works after dispose.
    const listed = await hostClient.send(new ListObjectsV2Command({ Bucket: other }));
    expect(listed.KeyCount).toBe(1);
  });

  it('builds clients that send no flexible-checksum headers, so such servers keep working', async () => {
    // A server that refuses the newer checksum headers with 501, as S3-compatible servers
    // that predate them do.
    const strict = await startS3Server({ buckets: ['bkt'], checksumHeaders: 'reject' });
    cleanups.push(() => strict.stop());
    // The SDK's defaults send them on every upload and download, and are refused.
    const sdkDefaults = new S3Client({ ...strict.connection });
    cleanups.push(async () => sdkDefaults.destroy());
    await expect(
      sdkDefaults.send(
        new PutObjectCommand({ Bucket: 'bkt', Key: 'k', Body: new Uint8Array([1]) }),
      ),
    ).rejects.toMatchObject({ name: 'NotImplemented' });
    const fs = track(
      createS3FsExtension({ ...strict.connection, mounts: { m: { bucket: 'bkt' } } }),
    );
    expect(await run(fs, 'fs::write("m", "k", "é")')).toBe(2);
    expect(await run(fs, 'fs::append("m", "k", $t)', { t: '\u0000😀' })).toBe(5);
    expect(await run(fs, 'fs::copy("m", "k", "c")')).toBe(true);
    expect(await run(fs, 'fs::read("m", "c")')).toBe('é\u0000😀');
    expect(await run(fs, 'fs::write("m", "empty", "")')).toBe(0);
    expect(await run(fs, 'fs::read("m", "empty")')).toBe('');
  });

  it('paths whose key would pass 1,024 bytes with the prefix are FS_INVALID_PATH before any request', async () => {
    const [bkt] = await buckets('bkt');
    const fs = track(
      createS3FsExtension({
        ...s.connection,
        mounts: { root: { bucket: bkt }, pre: { bucket: bkt, prefix: 'docs/' } },
      }),
    );
    const long = ['a', 'b', 'c', 'd'].map((c) => c.repeat(255)).join('/');
    expect(Buffer.byteLength(long)).toBe(1023);
    expect(await run(fs, 'fs::write("root", $p, "x")', { p: long })).toBe(1);
    expect(await run(fs, 'fs::read("root", $p)', { p: long })).toBe('x');
    const before = await s.requestCounts();
    // 1,024 bytes: a file key fits at the bucket root, its folder marker (one more byte) does not.
    const folder = `${'a'.repeat(255)}/${'b'.repeat(255)}/${'c'.repeat(255)}/${'e'.repeat(254)}/x`;
    expect(Buffer.byteLength(folder)).toBe(1024);
    for (const [source, p] of [
      ['fs::write("pre", $p, "x")', long],
      ['fs::stat("pre", $p)', long],
      ['fs::mkdir("root", $p)', folder],
    ] as const) {
      try {
        await run(fs, source, { p });
        throw new Error(`${source} should fail`);
      } catch (error) {
        expect(RillError.is(error) && error.code, source).toBe('FS_INVALID_PATH');
      }
    }
    expect(await s.requestCounts()).toEqual(before);
  });
});
