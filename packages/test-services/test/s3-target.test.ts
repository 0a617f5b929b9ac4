// resolveS3Target: S3_ENDPOINT and friends when set (proven against a local server standing
// in for MinIO or AWS), else a local server of its own.
import { createServer } from 'node:net';
import { HeadBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ServiceUnavailableError,
  createS3TestClient,
  gateService,
  listKeys,
  resolveS3Target,
  startS3Server,
} from '../dist/index.js';

const stand = await gateService('@rillkit/test-services: S3 target tests', () =>
  startS3Server({ buckets: ['from-env'] }),
);
afterAll(async () => {
  if (stand.available) await stand.value.stop();
});

async function unavailable(promise: Promise<unknown>): Promise<ServiceUnavailableError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServiceUnavailableError) return error;
    throw error;
  }
  throw new Error('expected ServiceUnavailableError');
}

function describeWithServer(
  title: string,
  body: (server: Extract<typeof stand, { available: true }>['value']) => void,
): void {
  if (stand.available) describe(title, () => body(stand.value));
  else describe.skip(`${title} (skipped: ${stand.reason})`, () => undefined);
}

describeWithServer('resolveS3Target', (server) => {
  const env = () => ({
    S3_ENDPOINT: server.endpoint,
    S3_BUCKET: 'from-env',
    S3_REGION: 'eu-west-3',
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
  });

  it('uses S3_ENDPOINT, S3_BUCKET, S3_REGION and the AWS_* credentials when set', async () => {
    const target = await resolveS3Target({ env: env(), bucket: 'ignored' });
    expect(target.kind).toBe('external');
    expect(target.server).toBeUndefined();
    expect(target.bucket).toBe('from-env');
    expect(target.connection).toEqual({
      region: 'eu-west-3',
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
    });
    expect(target.label).toBe(`S3_ENDPOINT 127.0.0.1:${server.port}`);
    expect(target.label).not.toContain(server.credentials.secretAccessKey);
    const c = createS3TestClient(target.connection);
    try {
      await c.send(new PutObjectCommand({ Bucket: target.bucket, Key: 'env/k', Body: 'x' }));
      expect(await listKeys(c, 'from-env', 'env/')).toEqual(['env/k']);
      // close() leaves an external server alone.
      await target.close();
      await c.send(new HeadBucketCommand({ Bucket: 'from-env' }));
    } finally {
      c.destroy();
    }
  });

  it('names the variables that are missing', async () => {
    const { S3_BUCKET: _bucket, AWS_SECRET_ACCESS_KEY: _secret, ...partial } = env();
    const err = await unavailable(resolveS3Target({ env: partial }));
    expect(err.service).toBe('S3');
    expect(err.reason).toContain('S3_BUCKET');
    expect(err.reason).toContain('AWS_SECRET_ACCESS_KEY');
    expect(
      (await unavailable(resolveS3Target({ env: { ...env(), S3_ENDPOINT: 'not a url' } }))).reason,
    ).toContain('not a URL');
  });

  it('fails in bounded time, without the secret, when the endpoint or bucket does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    const refused = await unavailable(
      resolveS3Target({
        env: { ...env(), S3_ENDPOINT: `http://127.0.0.1:${port}` },
        probeTimeoutMs: 1_000,
      }),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(refused.reason).toContain('does not answer');
    const noBucket = await unavailable(resolveS3Target({ env: { ...env(), S3_BUCKET: 'absent' } }));
    expect(noBucket.reason).toContain('absent');
    const wrongSecret = await unavailable(
      resolveS3Target({ env: { ...env(), AWS_SECRET_ACCESS_KEY: 'wrong-secret-77' } }),
    );
    for (const err of [refused, noBucket, wrongSecret])
      expect(err.message).not.toContain(server.credentials.secretAccessKey);
    expect(wrongSecret.message).not.toContain('wrong-secret-77');
  });

  it('starts a local server with the bucket when S3_ENDPOINT is not set', async () => {
    const target = await resolveS3Target({ env: {}, bucket: 'local-one' });
    try {
      expect(target.kind).toBe('local');
      expect(target.server?.endpoint).toBe(target.connection.endpoint);
      const c = createS3TestClient(target.connection);
      try {
        await c.send(new HeadBucketCommand({ Bucket: 'local-one' }));
      } finally {
        c.destroy();
      }
    } finally {
      await target.close();
    }
    expect(target.server?.running).toBe(false);
  });
});
