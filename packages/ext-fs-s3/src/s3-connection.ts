import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import {
  fsConfigError,
  isNonEmptyString,
  isPlainObject,
  isWholeNumberIn,
  optionOrDefault,
} from '@rillkit/core';
import {
  S3_CONNECTION_OPTIONS,
  S3_DEFAULT_CONNECT_TIMEOUT_MS,
  S3_DEFAULT_MAX_ATTEMPTS,
  S3_DEFAULT_REQUEST_TIMEOUT_MS,
  type S3ConnectionOptions,
} from './options.js';

/** Credentials in the form the SDK takes them. */
type SdkCredentials = NonNullable<S3ClientConfig['credentials']>;

/** Validated connection settings, ready to build a client from. */
export interface S3ConnectionSettings {
  readonly region: string;
  readonly endpoint: string | undefined;
  readonly forcePathStyle: boolean;
  readonly credentials: SdkCredentials | undefined;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

function at(field: string, name: string): string {
  return field === '' ? name : `${field}.${name}`;
}

/** The connection options present in `options` (own keys only, undefined values dropped). */
export function connectionOptionsOf(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of S3_CONNECTION_OPTIONS)
    if (Object.hasOwn(options, name) && options[name] !== undefined) out[name] = options[name];
  return out;
}

/**
 * Check that `client` looks like an S3 client (duck-typed, so a client from another copy of
 * the SDK is accepted too).
 * @throws `FS_INVALID_CONFIG` naming `field`.
 */
export function validateClient(client: unknown, field: string): S3Client {
  if (
    typeof client !== 'object' ||
    client === null ||
    typeof (client as { send?: unknown }).send !== 'function'
  ) {
    throw fsConfigError(field, 'must be an S3Client from @aws-sdk/client-s3');
  }
  return client as S3Client;
}

function positiveInteger(value: unknown, field: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!isWholeNumberIn(value, 1, max))
    throw fsConfigError(field, `must be an integer from 1 to ${max}`);
  return value;
}

const CREDENTIAL_FIELDS: readonly string[] = [
  'accessKeyId',
  'secretAccessKey',
  'sessionToken',
  'expiration',
  'credentialScope',
  'accountId',
];

function validateCredentials(value: unknown, field: string): SdkCredentials | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'function') return value as SdkCredentials;
  if (!isPlainObject(value))
    throw fsConfigError(
      field,
      'must be { accessKeyId, secretAccessKey } or a credentials provider',
    );
  for (const key of Object.keys(value)) {
    // `$`-keys are the SDK's own bookkeeping on credentials objects it has already used.
    if (!CREDENTIAL_FIELDS.includes(key) && !key.startsWith('$'))
      throw fsConfigError(
        `${field}.${key}`,
        `is not a known option (known: ${CREDENTIAL_FIELDS.join(', ')})`,
      );
  }
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = value;
  // Never echo the values: they are secrets.
  if (!isNonEmptyString(accessKeyId))
    throw fsConfigError(`${field}.accessKeyId`, 'must be a non-empty string');
  if (!isNonEmptyString(secretAccessKey))
    throw fsConfigError(`${field}.secretAccessKey`, 'must be a non-empty string');
  if (sessionToken !== undefined && !isNonEmptyString(sessionToken))
    throw fsConfigError(`${field}.sessionToken`, 'must be a non-empty string');
  if (expiration !== undefined && !(expiration instanceof Date))
    throw fsConfigError(`${field}.expiration`, 'must be a Date');
  // A copy: the SDK annotates the credentials object it is given.
  return { ...value } as unknown as SdkCredentials;
}

function validateEndpoint(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isNonEmptyString(value))
    throw fsConfigError(field, 'must be a URL such as "http://127.0.0.1:9000"');
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw fsConfigError(field, 'must be a URL such as "http://127.0.0.1:9000"', cause);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw fsConfigError(field, 'must be an http: or https: URL');
  // Credentials in a URL would be shown wherever the endpoint is; they go in `credentials`.
  if (url.username !== '' || url.password !== '')
    throw fsConfigError(field, 'must not contain a user name or password (use credentials)');
  return value;
}

/**
 * Validate connection options and fill in the defaults.
 *
 * @param raw the connection options, already merged (top level overlaid with the mount's).
 * @param fields where each option came from, for error messages (`'region'` or
 *   `'mounts.docs.region'`).
 * @param env the environment to take a default region from.
 * @throws `FS_INVALID_CONFIG` naming the field.
 */
export function validateConnection(
  raw: Record<string, unknown>,
  fields: (name: keyof S3ConnectionOptions) => string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): S3ConnectionSettings {
  // Only an absent region falls back to the environment: `region: null` is refused
  // (docs/ref-storage.md, "Options fail closed").
  const region = optionOrDefault(raw['region'], env['AWS_REGION'] ?? env['AWS_DEFAULT_REGION']);
  if (region === undefined || region === '')
    throw fsConfigError(fields('region'), 'is required (or set AWS_REGION)');
  if (typeof region !== 'string' || !/^[A-Za-z0-9-]+$/.test(region))
    throw fsConfigError(fields('region'), 'must be a region name such as "us-east-1"');
  const forcePathStyle = raw['forcePathStyle'];
  if (forcePathStyle !== undefined && typeof forcePathStyle !== 'boolean')
    throw fsConfigError(fields('forcePathStyle'), 'must be true or false');
  return {
    region,
    endpoint: validateEndpoint(raw['endpoint'], fields('endpoint')),
    forcePathStyle: forcePathStyle ?? false,
    credentials: validateCredentials(raw['credentials'], fields('credentials')),
    connectTimeoutMs:
      positiveInteger(raw['connectTimeoutMs'], fields('connectTimeoutMs'), 600_000) ??
      S3_DEFAULT_CONNECT_TIMEOUT_MS,
    requestTimeoutMs:
      positiveInteger(raw['requestTimeoutMs'], fields('requestTimeoutMs'), 3_600_000) ??
      S3_DEFAULT_REQUEST_TIMEOUT_MS,
    maxAttempts:
      positiveInteger(raw['maxAttempts'], fields('maxAttempts'), 10) ?? S3_DEFAULT_MAX_ATTEMPTS,
  };
}

/** `at('mounts.docs', name)` as a field namer for {@link validateConnection}. */
export function fieldsUnder(field: string): (name: keyof S3ConnectionOptions) => string {
  return (name) => at(field, name);
}

/**
 * Build a client from validated settings: bounded connect and request timeouts (a request
 * timeout is an error, not a warning), bounded attempts, and checksums only where S3 requires
 * them. The newer default (`WHEN_SUPPORTED`) adds CRC32 headers or aws-chunked trailers to
 * every upload and `x-amz-checksum-mode` to every download; S3-compatible servers that do not
 * speak them reject the request or store the chunk framing as the body.
 */
export function createS3Client(settings: S3ConnectionSettings): S3Client {
  return new S3Client({
    region: settings.region,
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    forcePathStyle: settings.forcePathStyle,
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    maxAttempts: settings.maxAttempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: settings.connectTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}
