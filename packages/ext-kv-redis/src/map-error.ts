import { RillError, kvError } from '@rillkit/core';

// Reply prefixes meaning "the server is there but cannot serve right now": retrying later
// can succeed, so they read as unavailable rather than as a failure of the store.
const UNAVAILABLE_REPLIES = [
  'LOADING',
  'BUSY',
  'MASTERDOWN',
  'CLUSTERDOWN',
  'TRYAGAIN',
  'READONLY',
  'NOREPLICAS',
];

// Socket-level error codes of Node and ioredis's own messages for a missing connection.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
const UNAVAILABLE_MESSAGES = [
  "Stream isn't writeable",
  'Connection is closed',
  'Command timed out',
  'connect ETIMEDOUT',
  'Reached the max retries per request limit',
  'None of startup nodes is available',
  'Cluster is disconnected',
];

/**
 * Turn whatever ioredis threw into a coded kv error, keeping the original as `cause`:
 * - no connection, a dropped connection, a command timeout, or a server that is loading,
 *   busy or failing over -> `KV_BACKEND_UNAVAILABLE` (the call may be retried later; a
 *   write that failed this way may or may not have been applied, as with any lost reply);
 * - `WRONGTYPE` (a key of the mount holds something the extension did not write)
 *   -> `KV_CORRUPT_STORE`;
 * - anything else (`OOM`, `NOPERM`, a script error) -> `KV_BACKEND_FAILURE`.
 * rillkit errors pass through unchanged. Messages name no URL or password.
 */
export function mapRedisError(error: unknown): RillError {
  if (RillError.is(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (
    (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) ||
    (error instanceof Error && error.name === 'MaxRetriesPerRequestError') ||
    UNAVAILABLE_MESSAGES.some((m) => message.includes(m)) ||
    UNAVAILABLE_REPLIES.some((p) => message.startsWith(p))
  ) {
    return unavailable(`the Redis server cannot be reached: ${message}`, error);
  }
  if (message.includes('WRONGTYPE')) {
    return kvError(
      'KV_CORRUPT_STORE',
      'a Redis key of this mount holds data the kv extension did not write (wrong type)',
      {},
      error,
    );
  }
  return kvError('KV_BACKEND_FAILURE', `Redis failed: ${message}`, {}, error);
}

/** A `KV_BACKEND_UNAVAILABLE` error with `details.reason` = `'unreachable'`. */
export function unavailable(message: string, cause?: unknown): RillError {
  return kvError('KV_BACKEND_UNAVAILABLE', message, { reason: 'unreachable' }, cause);
}
