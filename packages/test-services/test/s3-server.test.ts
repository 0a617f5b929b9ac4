// The local S3 server: its lifecycle controls, and the s3rver fixes that make it behave like
// S3 where the rillkit tests depend on it. The tests use the built package (dist), as its
// users do: the server process is dist/s3rver-child.js.
import { existsSync } from 'node:fs';
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type LocalS3Server,
  type StartS3ServerOptions,
  createS3TestClient,
  deletePrefix,
  gateService,
  listKeys,
  startS3Server,
} from '../dist/index.js';

const shared = await gateService('@rillkit/test-services: S3 server tests', () =>
  startS3Server({ buckets: ['b'] }),
);
const raw = shared.available ? createS3TestClient(shared.value.connection) : undefined;
afterAll(async () => {
  raw?.destroy();
  if (shared.available) await shared.value.stop();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ownServer(options: StartS3ServerOptions = {}): Promise<LocalS3Server> {
  const s = await startS3Server({ buckets: ['b'], ...options });
  cleanups.push(() => s.stop());
  return s;
}

function client(server: LocalS3Server): S3Client {
  const c = createS3TestClient(server.connection);
  cleanups.push(async () => c.destroy());
  return c;
}

async function errorOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the request to fail');
}

const put = (c: S3Client, key: string, body: string | Uint8Array = 'x', extra = {}) =>
  c.send(new PutObjectCommand({ Bucket: 'b', Key: key, Body: body, ...extra }));

async function get(c: S3Client, key: string): Promise<Buffer> {
  const out = await c.send(new GetObjectCommand({ Bucket: 'b', Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

let prefixCount = 0;
const fresh = () => `t${prefixCount++}/`;

function describeWithServer(title: string, body: (c: S3Client, s: LocalS3Server) => void): void {
  if (shared.available && raw !== undefined) describe(title, () => body(raw, shared.value));
  else
    describe.skip(`${title} (skipped: ${shared.available ? '' : shared.reason})`, () => undefined);
}

describeWithServer('startS3Server', (c, s) => {
  it('listens on a loopback port and accepts only its own credentials', async () => {
    expect(s.endpoint).toBe(`http://127.0.0.1:${s.port}`);
    await c.send(new HeadBucketCommand({ Bucket: 'b' }));
    const stranger = new S3Client({
      ...s.connection,
      credentials: { accessKeyId: s.credentials.accessKeyId, secretAccessKey: 'wrong' },
    });
    cleanups.push(async () => stranger.destroy());
    const err = await errorOf(put(stranger, `${fresh()}k`));
    expect(err['name']).toBe('SignatureDoesNotMatch');
  });

  it('kill refuses connections, restart brings the same objects back, stop deletes them', async () => {
    const own = await ownServer();
    const oc = client(own);
    await put(oc, 'k', 'kept');
    await own.kill();
    expect(own.running).toBe(false);
    const refused = await errorOf(get(oc, 'k'));
    expect(refused['code']).toBe('ECONNREFUSED');
    await own.restart();
    expect(own.running).toBe(true);
    expect((await get(oc, 'k')).toString()).toBe('kept');
    await own.stop();
    expect(existsSync(own.directory)).toBe(false);
    await own.stop();
  });

  it('counts requests by S3 operation', async () => {
    const prefix = fresh();
    const before = await s.requestCounts();
    await put(c, `${prefix}k`);
    await get(c, `${prefix}k`);
    await listKeys(c, 'b', prefix);
    const after = await s.requestCounts();
    const delta = (op: string) => (after[op] ?? 0) - (before[op] ?? 0);
    expect([delta('PutObject'), delta('GetObject'), delta('ListObjectsV2')]).toEqual([1, 1, 1]);
  });
});

describeWithServer('s3rver behaves like S3 where the tests rely on it', (c) => {
  it('lists in UTF-8 byte order and pages without skipping keys', async () => {
    const prefix = fresh();
    // File-system order and JS string order both differ from S3's here.
    const names = ['x', 'x-y/f', 'x.txt', 'x/f', 'x/g/h', 'é', '😀', '\uffff', 'z'];
    for (const name of names) await put(c, prefix + name);
    const expected = names
      .map((n) => prefix + n)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const paged: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.send(
        new ListObjectsV2Command({
          Bucket: 'b',
          Prefix: prefix,
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      paged.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.IsTruncated === true ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    expect(paged).toEqual(expected);
  });

  it('reports a common prefix for a folder that holds only deeper keys', async () => {
    const prefix = fresh();
    await put(c, `${prefix}a/b/c/d.txt`);
    await put(c, `${prefix}top.txt`);
    const page = await c.send(
      new ListObjectsV2Command({ Bucket: 'b', Prefix: prefix, Delimiter: '/' }),
    );
    expect(page.CommonPrefixes?.map((p) => p.Prefix)).toEqual([`${prefix}a/`]);
    expect(page.Contents?.map((o) => o.Key)).toEqual([`${prefix}top.txt`]);
  });

  it('keeps keys exact: special characters, empty and long segments, folder markers', async () => {
    const prefix = fresh();
    const keys = [
      'amp&lt<gt>quote"apos\'tick`',
      'paren(star)*bang!plus+q?hash#pct%20',
      'empty//segment',
      `${'l'.repeat(255)}/${'ü'.repeat(127)}`,
      'folder/',
      'dot/./dotdot/../x',
    ].map((k) => prefix + k);
    for (const key of keys) await put(c, key, key);
    for (const key of keys) expect((await get(c, key)).toString(), key).toBe(key);
    expect(await listKeys(c, 'b', prefix)).toEqual(
      [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))),
    );
    // CopyObject finds sources whatever their characters (each segment URL-encoded).
    for (const [i, key] of keys.entries()) {
      const source = `b/${key.split('/').map(encodeURIComponent).join('/')}`;
      await c.send(
        new CopyObjectCommand({ Bucket: 'b', Key: `${prefix}copy/${i}`, CopySource: source }),
      );
      expect((await get(c, `${prefix}copy/${i}`)).toString()).toBe(key);
    }
  });

  it('honours conditional writes as S3 does', async () => {
    const key = `${fresh()}k`;
    await put(c, key, 'one', { IfNoneMatch: '*' });
    const exists = await errorOf(put(c, key, 'two', { IfNoneMatch: '*' }));
    expect(exists['name']).toBe('PreconditionFailed');
    const missing = await errorOf(put(c, `${key}-missing`, 'x', { IfMatch: '"abc"' }));
    expect(missing['name']).toBe('NoSuchKey');
    const stale = await errorOf(put(c, key, 'two', { IfMatch: '"abc"' }));
    expect(stale['name']).toBe('PreconditionFailed');
    const etag = (await c.send(new GetObjectCommand({ Bucket: 'b', Key: key }))).ETag;
    await put(c, key, 'two', { IfMatch: etag });
    expect((await get(c, key)).toString()).toBe('two');
    const copyStale = await errorOf(
      c.send(
        new CopyObjectCommand({
          Bucket: 'b',
          Key: `${key}-copy`,
          CopySource: `b/${key}`,
          CopySourceIfMatch: etag,
        }),
      ),
    );
    expect(copyStale['name']).toBe('PreconditionFailed');
  });

  it('never lets a reader see a partial body', async () => {
    const key = `${fresh()}big`;
    const versions = ['a', 'b', 'c'].map((ch) => ch.repeat(256 * 1024));
    await put(c, key, versions[0]);
    let writing = true;
    const seen = new Set<string>();
    const writer = (async () => {
      for (let i = 1; i <= 12; i++) await put(c, key, versions[i % 3]);
      writing = false;
    })();
    const reader = (async () => {
      while (writing) {
        const body = (await get(c, key)).toString();
        seen.add(versions.includes(body) ? 'whole' : `torn ${body.length}`);
      }
    })();
    await Promise.all([writer, reader]);
    expect([...seen]).toEqual(['whole']);
  });
});

describe('server behaviours of other S3-compatible servers', () => {
  it('ignores or rejects conditional writes when asked', async (ctx) => {
    if (!shared.available) return ctx.skip(shared.reason);
    const ignoring = client(await ownServer({ conditionalWrites: 'ignore' }));
    await put(ignoring, 'k', 'one');
    await put(ignoring, 'k', 'two', { IfNoneMatch: '*' });
    expect((await get(ignoring, 'k')).toString()).toBe('two');
    const rejecting = client(await ownServer({ conditionalWrites: 'reject' }));
    const err = await errorOf(put(rejecting, 'k', 'one', { IfNoneMatch: '*' }));
    expect(err['name']).toBe('NotImplemented');
  });

  it('rejects flexible-checksum headers when asked, and accepts bodies without them', async (ctx) => {
    if (!shared.available) return ctx.skip(shared.reason);
    const strict = await ownServer({ checksumHeaders: 'reject' });
    const sdkDefaults = new S3Client({ ...strict.connection });
    cleanups.push(async () => sdkDefaults.destroy());
    const err = await errorOf(put(sdkDefaults, 'k', new Uint8Array([1, 2])));
    expect(err['name']).toBe('NotImplemented');
    const plain = client(strict);
    await put(plain, 'k', new Uint8Array([0, 255, 1]));
    expect([...(await get(plain, 'k'))]).toEqual([0, 255, 1]);
    await deletePrefix(plain, 'b', '');
    expect(await listKeys(plain, 'b', '')).toEqual([]);
  });
});
