import type { S3Client } from '@aws-sdk/client-s3';
import type { FsMountOptions } from '@rillkit/core';

/** Static S3 credentials (an access key pair, optionally with a session token). */
export interface S3StaticCredentials {
  /** The access key id. */
  readonly accessKeyId: string;
  /** The secret access key. Never shown in `fs::mounts()` or error messages. */
  readonly secretAccessKey: string;
  /** A session token for temporary credentials. */
  readonly sessionToken?: string | undefined;
}

/**
 * A credentials provider as the AWS SDK accepts it: a function resolving to credentials
 * (e.g. `fromIni()` from `@aws-sdk/credential-providers`).
 */
export type S3CredentialsProvider = () => Promise<S3StaticCredentials>;

/**
 * How to reach S3. Given at the top level they apply to every mount; given on a mount they
 * override the top-level values for that mount only (a mount with its own connection options
 * gets its own client).
 */
export interface S3ConnectionOptions {
  /**
   * The region (`'us-east-1'`). Default: the `AWS_REGION` or `AWS_DEFAULT_REGION` environment
   * variable; one of them is required when no `client` is given.
   */
  readonly region?: string | undefined;
  /**
   * The service URL of an S3-compatible server (`'http://127.0.0.1:9000'`). Default: AWS S3
   * for the region. It must not carry a user name or password.
   */
  readonly endpoint?: string | undefined;
  /**
   * Address buckets as `endpoint/bucket/key` instead of `bucket.endpoint/key`. Most
   * S3-compatible servers (MinIO, ...) need `true`. Default `false`.
   */
  readonly forcePathStyle?: boolean | undefined;
  /**
   * Static credentials or a provider. Default: the AWS SDK's default chain (environment,
   * shared config files, instance or container roles).
   */
  readonly credentials?: S3StaticCredentials | S3CredentialsProvider | undefined;
  /**
   * How long one attempt may take to open a connection, in ms. Default 2,000. With the default
   * `maxAttempts` an unreachable server fails with `FS_BACKEND_UNAVAILABLE` after about 4 s.
   */
  readonly connectTimeoutMs?: number | undefined;
  /**
   * How long one attempt's request and response may take once connected, in ms (the whole
   * transfer, so leave room for `maxFileSize` on a slow link). Default 10,000.
   */
  readonly requestTimeoutMs?: number | undefined;
  /** Attempts per S3 request, the first included (the SDK retries transient errors). Default 2. */
  readonly maxAttempts?: number | undefined;
}

/**
 * One S3 mount: the common fs options, where its files live (`bucket`, `prefix`) and,
 * optionally, its own connection.
 *
 * @example
 * { mode: 'read-write', region: 'us-east-1', bucket: 'my-app-data', prefix: 'documents/' }
 */
export interface S3FsMountOptions extends FsMountOptions, S3ConnectionOptions {
  /** The bucket. It must exist; the extension never creates or deletes buckets. */
  readonly bucket: string;
  /**
   * The key prefix that is this mount's root (`'documents/'`; a missing trailing `/` is
   * added). Default `''`: the whole bucket. Relative (no leading `/`), with no empty, `.` or
   * `..` segments. Every key the mount reads or writes starts with it.
   */
  readonly prefix?: string | undefined;
  /**
   * An existing client for this mount. It is used as it is (configure its timeouts and
   * checksum settings yourself) and is never destroyed by `dispose()`. Cannot be combined with
   * connection options on the same level.
   */
  readonly client?: S3Client | undefined;
}

/** Options of {@link createS3FsExtension}. */
export interface S3FsOptions extends S3ConnectionOptions {
  /** The mounts, by name (at least one). */
  readonly mounts: Readonly<Record<string, S3FsMountOptions>>;
  /** Register functions as `<namespace>::read`, ...; default `'fs'`. */
  readonly namespace?: string | undefined;
  /**
   * An existing client shared by every mount without connection options of its own. Used as
   * it is and never destroyed by `dispose()`. Cannot be combined with top-level connection
   * options.
   */
  readonly client?: S3Client | undefined;
}

/** The connection option names, at the top level and on a mount. */
export const S3_CONNECTION_OPTIONS: readonly (keyof S3ConnectionOptions)[] = Object.freeze([
  'region',
  'endpoint',
  'forcePathStyle',
  'credentials',
  'connectTimeoutMs',
  'requestTimeoutMs',
  'maxAttempts',
]);

/** Default {@link S3ConnectionOptions.connectTimeoutMs}. */
export const S3_DEFAULT_CONNECT_TIMEOUT_MS = 2_000;
/** Default {@link S3ConnectionOptions.requestTimeoutMs}. */
export const S3_DEFAULT_REQUEST_TIMEOUT_MS = 10_000;
/** Default {@link S3ConnectionOptions.maxAttempts}. */
export const S3_DEFAULT_MAX_ATTEMPTS = 2;
