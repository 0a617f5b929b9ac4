// Where S3 tests run: the server named by S3_ENDPOINT (MinIO, AWS, ...) when set, otherwise a
// local server started here.
import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ServiceUnavailableError } from './service-gate.js';
import { type LocalS3Server, type S3Connection, startS3Server } from './s3-server.js';

/** Options of {@link resolveS3Target}. */
export interface ResolveS3TargetOptions {
  /** The bucket to create on a local server; default `'rillkit-test'`. Ignored with `S3_ENDPOINT`. */
  readonly bucket?: string;
  /** Where to read `S3_*` and `AWS_*` from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long the external server may take to answer HeadBucket; default 5 s. */
  readonly probeTimeoutMs?: number;
}

/** An S3 target to run tests or benchmarks against. */
export interface S3Target {
  /** `'external'`: from `S3_ENDPOINT`; `'local'`: a server started by {@link resolveS3Target}. */
  readonly kind: 'local' | 'external';
  /** An existing bucket. On an external target, keep every key below a random prefix. */
  readonly bucket: string;
  readonly connection: S3Connection;
  /** The local server, with its kill/restart controls; undefined for an external target. */
  readonly server: LocalS3Server | undefined;
  /** What it is, for logs and notes (never a secret): `'local s3rver'` or the endpoint's host. */
  readonly label: string;
  /** Stop the local server (deleting its data); nothing for an external target. */
  close(): Promise<void>;
}

const DEFAULT_LOCAL_BUCKET = 'rillkit-test';

async function externalTarget(
  endpoint: string,
  env: Readonly<Record<string, string | undefined>>,
  probeTimeoutMs: number,
): Promise<S3Target> {
  let host: string;
  try {
    host = new URL(endpoint).host;
  } catch (cause) {
    throw new ServiceUnavailableError('S3', 'S3_ENDPOINT is not a URL', { cause });
  }
  const bucket = env['S3_BUCKET'];
  const accessKeyId = env['AWS_ACCESS_KEY_ID'];
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'];
  const missing = Object.entries({
    S3_BUCKET: bucket,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
  })
    .filter(([, value]) => value === undefined || value === '')
    .map(([name]) => name);
  if (
    bucket === undefined ||
    accessKeyId === undefined ||
    secretAccessKey === undefined ||
    missing.length > 0
  )
    throw new ServiceUnavailableError('S3', `S3_ENDPOINT is set but ${missing.join(', ')} is not`);
  const connection: S3Connection = {
    region: env['S3_REGION'] || 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  };
  const probe = new S3Client({
    ...connection,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: probeTimeoutMs,
      requestTimeout: probeTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
  try {
    await probe.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
    const what = [e.name, e.code, e.$metadata?.httpStatusCode].filter((x) => x !== undefined);
    throw new ServiceUnavailableError(
      'S3',
      `S3_ENDPOINT ${host}: bucket ${bucket} does not answer (${what.join(' ')})`,
      { cause: error },
    );
  } finally {
    probe.destroy();
  }
  return {
    kind: 'external',
    bucket,
    connection,
    server: undefined,
    label: `S3_ENDPOINT ${host}`,
    close: async () => undefined,
  };
}

/**
 * Find the S3-compatible server to test against.
 *
 * - `S3_ENDPOINT` set: that server, with `S3_BUCKET` (must exist), `S3_REGION` (default
 *   `us-east-1`), `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, path-style addressing. The
 *   bucket must answer HeadBucket within `probeTimeoutMs`.
 * - Otherwise: {@link startS3Server} with one bucket, `options.bucket`.
 *
 * Use it through {@link gateService} so a missing server skips locally and fails under CI.
 *
 * @throws {@link ServiceUnavailableError} when the server does not answer, cannot be started,
 *   or `S3_ENDPOINT` comes without the other variables.
 */
export async function resolveS3Target(options: ResolveS3TargetOptions = {}): Promise<S3Target> {
  const env = options.env ?? process.env;
  const endpoint = env['S3_ENDPOINT'];
  if (endpoint !== undefined && endpoint !== '')
    return externalTarget(endpoint, env, options.probeTimeoutMs ?? 5_000);
  const bucket = options.bucket ?? DEFAULT_LOCAL_BUCKET;
  const server = await startS3Server({ buckets: [bucket] });
  return {
    kind: 'local',
    bucket,
    get connection() {
      return server.connection;
    },
    server,
    label: 'local s3rver',
    close: () => server.stop(),
  };
}
