import { randomBytes } from 'node:crypto';
import {
  DeleteObjectsCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { describe } from 'vitest';
import { startS3TestServer, type S3TestServer } from './s3-test-server.mjs';

/** Connection options for `createS3FsExtension`, pointing at the test target. */
export interface TargetConnection {
  readonly region: string;
  readonly endpoint: string;
  readonly forcePathStyle: true;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** Where the tests store objects: the in-process server, or `S3_ENDPOINT` when set. */
export interface S3Target {
  readonly kind: 'local' | 'external';
  readonly bucket: string;
  readonly connection: TargetConnection;
  /** A raw client with the same settings, for setup and cleanup. */
  readonly raw: S3Client;
  /** The in-process server (local targets only). */
  readonly server: S3TestServer | undefined;
  /** A random key prefix for this test file's run: every key the tests write starts with it. */
  readonly runPrefix: string;
  close(): Promise<void>;
}

const LOCAL_BUCKET = 'rillkit-test';
const LOCAL_CREDENTIALS = {
  accessKeyId: 'rillkit-test-key',
  secretAccessKey: 'rillkit-test-secret-3f1c9a',
};

function rawClient(connection: TargetConnection): S3Client {
  return new S3Client({
    ...connection,
    // A copy: the SDK annotates the credentials object it is given.
    credentials: { ...connection.credentials },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
    requestHandler: {
      connectionTimeout: 2000,
      requestTimeout: 30_000,
      throwOnRequestTimeout: true,
    },
  });
}

/** Start (or reach) the target. Throws with a reason when an external target does not answer. */
async function openTarget(): Promise<S3Target> {
  const runPrefix = `rillkit-test-${randomBytes(4).toString('hex')}/`;
  const endpoint = process.env['S3_ENDPOINT'];
  if (endpoint !== undefined && endpoint !== '') {
    const bucket = process.env['S3_BUCKET'];
    const accessKeyId = process.env['AWS_ACCESS_KEY_ID'];
    const secretAccessKey = process.env['AWS_SECRET_ACCESS_KEY'];
    if (bucket === undefined || accessKeyId === undefined || secretAccessKey === undefined)
      throw new Error(
        'S3_ENDPOINT is set but S3_BUCKET, AWS_ACCESS_KEY_ID or AWS_SECRET_ACCESS_KEY is not',
      );
    const connection: TargetConnection = {
      region: process.env['S3_REGION'] ?? 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
    };
    const raw = rawClient(connection);
    try {
      await raw.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      raw.destroy();
      throw new Error(`S3_ENDPOINT ${endpoint} bucket ${bucket} does not answer: ${String(error)}`);
    }
    return {
      kind: 'external',
      bucket,
      connection,
      raw,
      server: undefined,
      runPrefix,
      close: async () => raw.destroy(),
    };
  }
  const server = await startS3TestServer({ buckets: [LOCAL_BUCKET] });
  const connection: TargetConnection = {
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
  };
  const raw = rawClient(connection);
  return {
    kind: 'local',
    bucket: LOCAL_BUCKET,
    connection,
    raw,
    server,
    runPrefix,
    close: async () => {
      raw.destroy();
      await server.stop();
    },
  };
}

/**
 * Open the target for a test file. When it cannot be reached: under `CI` the error is
 * rethrown (the file fails); locally a loud reason is printed and `undefined` is returned, and
 * the caller registers its tests with {@link describeIfTarget} (skipped).
 */
export async function openS3Target(): Promise<S3Target | undefined> {
  try {
    return await openTarget();
  } catch (error) {
    if (process.env['CI'] !== undefined && process.env['CI'] !== '') throw error;
    const line = '!'.repeat(78);
    console.warn(`${line}\nSKIPPING the S3 tests of this file: ${String(error)}\n${line}`);
    return undefined;
  }
}

/** `describe`, or `describe.skip` with the reason when there is no target. */
export function describeIfTarget(
  target: S3Target | undefined,
  title: string,
  body: (target: S3Target) => void,
): void {
  // Only reachable locally: under CI a missing server throws in openS3Target above.
  if (target === undefined) describe.skip(`${title} (skipped: no S3 server)`, () => undefined);
  else describe(title, () => body(target));
}

/** Delete every object whose key starts with `prefix` (1,000 per request). */
export async function deletePrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<void> {
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    const keys = (page.Contents ?? []).flatMap((c) =>
      c.Key === undefined ? [] : [{ Key: c.Key }],
    );
    if (keys.length > 0)
      await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
      );
    if (page.IsTruncated !== true || page.NextContinuationToken === undefined) return;
    token = page.NextContinuationToken;
  }
}

/** Every key below `prefix`, in S3 order. */
export async function listKeys(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const c of page.Contents ?? []) if (c.Key !== undefined) out.push(c.Key);
    if (page.IsTruncated !== true || page.NextContinuationToken === undefined) return out;
    token = page.NextContinuationToken;
  }
}
