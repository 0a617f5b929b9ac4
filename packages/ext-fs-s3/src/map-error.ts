import { fsError, RillError, type FsErrorCode } from '@rillkit/core';

/** What an AWS SDK (or Node network) error says about itself, read defensively. */
export interface S3ErrorFacts {
  /** The S3 error code (`NoSuchKey`, `AccessDenied`, ...) or the SDK error name. */
  readonly s3Code: string | undefined;
  /** The HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  /** A Node.js system error code (`ECONNREFUSED`, ...), when the request never got an answer. */
  readonly errno: string | undefined;
}

function stringField(value: unknown, field: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const found = (value as Record<string, unknown>)[field];
  return typeof found === 'string' && found !== '' ? found : undefined;
}

const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  412: 'PreconditionFailed',
  501: 'NotImplemented',
  503: 'ServiceUnavailable',
};

/** Read the code, HTTP status and errno of an SDK or network error. */
export function s3ErrorFacts(error: unknown): S3ErrorFacts {
  const metadata =
    typeof error === 'object' && error !== null
      ? (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata
      : undefined;
  const status = typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  const code = stringField(error, 'code');
  const errno = code !== undefined && /^E[A-Z0-9_]+$/.test(code) ? code : undefined;
  const name = stringField(error, 'name');
  let s3Code = stringField(error, 'Code') ?? (name === 'Error' ? undefined : name);
  // Error responses to HEAD have no body, so the SDK cannot name them: name them by status.
  if (s3Code === undefined || s3Code === 'Unknown' || s3Code === 'UnknownError')
    s3Code = status === undefined ? undefined : (STATUS_NAMES[status] ?? s3Code);
  return { s3Code, status, errno };
}

/** True when S3 says the object (or, for HEAD, whatever was asked for) is not there. */
export function isS3NotFound(error: unknown): boolean {
  const { s3Code, status } = s3ErrorFacts(error);
  if (s3Code === 'NoSuchKey' || s3Code === 'NotFound') return true;
  // HEAD responses have no body, so some servers' 404s carry no code at all.
  return status === 404 && s3Code !== 'NoSuchBucket';
}

/** True when a conditional request's precondition did not hold (412, or 409 on a race). */
export function isS3PreconditionFailed(error: unknown): boolean {
  const { s3Code, status } = s3ErrorFacts(error);
  return (
    s3Code === 'PreconditionFailed' ||
    s3Code === 'ConditionalRequestConflict' ||
    status === 412 ||
    (status === 409 && s3Code === 'OperationAborted')
  );
}

/** True when the server refuses a request header it does not implement (501). */
export function isS3NotImplemented(error: unknown): boolean {
  const { s3Code, status } = s3ErrorFacts(error);
  return s3Code === 'NotImplemented' || status === 501;
}

// The server cannot be reached or cannot answer now: retrying later may work.
const NETWORK_ERRNOS: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EPROTO',
]);

const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ServiceUnavailable',
  'SlowDown',
  'InternalError',
  'ServerError',
]);

// Credentials or policy refuse the request. Not a code of its own: scripts cannot act on it
// any differently from another backend failure, and local disk reports EACCES the same way.
const ACCESS_CODES: ReadonlySet<string> = new Set([
  'AccessDenied',
  'Forbidden',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'InvalidToken',
  'TokenRefreshRequired',
  'AllAccessDisabled',
  'AccountProblem',
  'CredentialsProviderError',
]);

function classify(facts: S3ErrorFacts): { code: FsErrorCode; reason: string } {
  const { s3Code, status, errno } = facts;
  if (s3Code === 'NoSuchKey' || s3Code === 'NotFound') return { code: 'FS_NOT_FOUND', reason: '' };
  if (s3Code === 'NoSuchBucket') {
    // Like a vanished local mount folder: the store itself is missing, not the file.
    return { code: 'FS_BACKEND_UNAVAILABLE', reason: 'the bucket does not exist' };
  }
  if (s3Code === 'KeyTooLongError')
    return { code: 'FS_INVALID_PATH', reason: 'the object key is too long' };
  if (errno !== undefined && NETWORK_ERRNOS.has(errno))
    return { code: 'FS_BACKEND_UNAVAILABLE', reason: `network error ${errno}` };
  if (s3Code !== undefined && UNAVAILABLE_CODES.has(s3Code))
    return { code: 'FS_BACKEND_UNAVAILABLE', reason: `the server did not answer (${s3Code})` };
  if (status !== undefined && status >= 500 && status !== 501)
    return { code: 'FS_BACKEND_UNAVAILABLE', reason: `the server failed (HTTP ${status})` };
  if ((s3Code !== undefined && ACCESS_CODES.has(s3Code)) || status === 403)
    return { code: 'FS_BACKEND_FAILURE', reason: `access denied (${s3Code ?? `HTTP ${status}`})` };
  const what = s3Code ?? (status === undefined ? errno : `HTTP ${status}`);
  return { code: 'FS_BACKEND_FAILURE', reason: what === undefined ? 'S3 request failed' : what };
}

/**
 * Map an error from the AWS SDK (or the network below it) to a coded fs error about `path`
 * (the canonical mount path, never the bucket or key). Coded rillkit errors pass through.
 *
 * | S3 / network                                               | Code                                   |
 * | ---------------------------------------------------------- | -------------------------------------- |
 * | `NoSuchKey`, `NotFound`                                     | `FS_NOT_FOUND`                         |
 * | `NoSuchBucket`                                              | `FS_BACKEND_UNAVAILABLE`               |
 * | connection refused/reset/unreachable, timeouts, 5xx, `SlowDown` | `FS_BACKEND_UNAVAILABLE`          |
 * | `AccessDenied`, 403, bad or expired credentials             | `FS_BACKEND_FAILURE` ("access denied") |
 * | `KeyTooLongError`                                           | `FS_INVALID_PATH`                      |
 * | anything else                                               | `FS_BACKEND_FAILURE`                   |
 *
 * `details` carries `s3Code`, `status` and `errno` when known; the SDK error is the `cause`.
 */
export function mapS3Error(error: unknown, path: string): RillError {
  if (RillError.is(error)) return error;
  const facts = s3ErrorFacts(error);
  const { code, reason } = classify(facts);
  const details: Record<string, unknown> = {};
  if (facts.s3Code !== undefined) details['s3Code'] = facts.s3Code;
  if (facts.status !== undefined) details['status'] = facts.status;
  if (facts.errno !== undefined) details['errno'] = facts.errno;
  return fsError(code, path, { reason: reason === '' ? undefined : reason, details, cause: error });
}
