import {
  type KvRecord,
  RillError,
  isDict,
  isValidKvKey,
  kvError,
  parseJsonValue,
  stringifyValue,
} from '@rillkit/core';

/**
 * The on-disk format of a JSON kv store (format version 1):
 *
 * ```json
 * {
 *   "version": 1,
 *   "revision": 42,
 *   "values": {
 *     "name": "Alice",
 *     "profile": {"city":"Oslo","tags":["a","b"]}
 *   },
 *   "expires": {
 *     "session": 1767225600000
 *   }
 * }
 * ```
 *
 * - `values` is a plain object of the stored values, one entry per line, in insertion
 *   order; each value is compact JSON exactly as core serialised it. Edit it by hand
 *   freely (while no process writes the store).
 * - `expires` (present only when some entry has a TTL) maps keys to their expiry in
 *   milliseconds since the Unix epoch. Expired entries are dropped at the next write.
 * - `revision` counts writes; every write stores the previous revision + 1. Together with
 *   the file's identity (device, inode, size, mtime, ctime) it tells a process whether the
 *   file changed since it last read it, even when two writes land in the same mtime tick.
 * - An empty file and `{}` are an empty store. Anything else that is not such an object —
 *   malformed JSON, JSON `null` anywhere, an unknown version or top-level field, a value
 *   under `expires` that is not a number, an invalid key — is `KV_CORRUPT_STORE`, and the
 *   file is never overwritten while it stays that way.
 * - Key order, including integer-like keys (`"10"` before `"2"`), survives a reload: the
 *   file is parsed with core's order-keeping JSON parser.
 */
export interface KvFileContents {
  /** The file's write counter (0 for an empty or new store). */
  readonly revision: number;
  /** The stored entries in file order (expired ones included; the table drops them). */
  readonly entries: readonly (readonly [string, KvRecord])[];
}

/** The format version this module reads and writes. */
export const KV_FILE_VERSION = 1;

const TOP_LEVEL = new Set(['version', 'revision', 'values', 'expires']);

/** Bytes at the start of a file that are enough to read its revision (see {@link readRevisionHint}). */
export const KV_FILE_HEAD_BYTES = 80;

const HEAD = /^\{\s*"version"\s*:\s*1\s*,\s*"revision"\s*:\s*(\d{1,15})\s*,/;

/**
 * The revision as written at the very start of a file this module wrote, read from its
 * first {@link KV_FILE_HEAD_BYTES} bytes without parsing the rest; `undefined` when the
 * head has another shape (e.g. after a hand edit), which callers treat as "changed".
 */
export function readRevisionHint(head: string): number | undefined {
  const match = HEAD.exec(head);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/**
 * Parse a store file.
 * @throws `KV_CORRUPT_STORE` (with `details.reason`) for anything but a valid store.
 */
export function parseKvFile(raw: string): KvFileContents {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  if (text.trim() === '') return { revision: 0, entries: [] };
  const fast = INTEGER_LIKE_KEY.test(text) ? undefined : parsePlainGuarded(text);
  if (fast !== undefined) return fast;
  let doc;
  try {
    // No depth limit for the file itself, as on the fast path: each value's depth is
    // checked when it is read back (core's decodeKvValue).
    doc = parseJsonValue(text, Infinity);
  } catch (cause) {
    throw corrupt(RillError.is(cause) ? cause.message : 'malformed JSON', cause);
  }
  if (!isDict(doc)) throw corrupt('the file does not hold a JSON object');
  if (doc.size === 0) return { revision: 0, entries: [] };
  for (const field of doc.keys())
    if (!TOP_LEVEL.has(field)) throw corrupt(`unknown top-level field "${field}"`);
  if (doc.get('version') !== KV_FILE_VERSION)
    throw corrupt(`unsupported format version (expected "version": ${KV_FILE_VERSION})`);
  const revision = doc.get('revision') ?? 0;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) {
    throw corrupt('"revision" must be a non-negative integer');
  }
  const values = doc.get('values') ?? new Map();
  if (!isDict(values)) throw corrupt('"values" must be an object');
  const expires = doc.get('expires') ?? new Map();
  if (!isDict(expires)) throw corrupt('"expires" must be an object');
  const entries: [string, KvRecord][] = [];
  for (const [key, value] of values) {
    if (!isValidKvKey(key))
      throw corrupt(
        `invalid key ${JSON.stringify(String(key).slice(0, 40))} (empty or over 1,024 bytes)`,
      );
    const expiresAt = expires.get(key);
    if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) {
      throw corrupt(`"expires" of ${JSON.stringify(key)} must be a number (ms since the epoch)`);
    }
    entries.push([key, { value: stringifyValue(value), expiresAt }]);
  }
  return { revision, entries };
}

/**
 * Serialise a store: the layout documented on {@link KvFileContents}, values spliced in as
 * the JSON text core produced (never re-encoded).
 */
export function serializeKvFile(
  revision: number,
  entries: Iterable<readonly [string, KvRecord]>,
): string {
  const values: string[] = [];
  const expires: string[] = [];
  for (const [key, record] of entries) {
    const name = JSON.stringify(key);
    values.push(`    ${name}: ${record.value}`);
    if (record.expiresAt !== undefined)
      expires.push(`    ${name}: ${JSON.stringify(record.expiresAt)}`);
  }
  const block = (lines: string[]): string =>
    lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`;
  const parts = [
    `  "version": ${KV_FILE_VERSION}`,
    `  "revision": ${revision}`,
    `  "values": ${block(values)}`,
  ];
  if (expires.length > 0) parts.push(`  "expires": ${block(expires)}`);
  return `{\n${parts.join(',\n')}\n}\n`;
}

// An object key a JS object would move to the front ("10" before "a"). Without one anywhere
// in the file, JSON.parse keeps every key in document order and the fast path is exact.
const INTEGER_LIKE_KEY = /"(?:0|[1-9]\d*)"\s*:/;

/**
 * The common case, about 3x faster than building rill values: native JSON.parse, then each
 * value re-serialised with JSON.stringify — byte-identical to what core's stringifyValue
 * produces for it, since key order is intact and numbers format the same. Returns
 * `undefined` to fall back to the order-keeping parser whenever the shape is anything but
 * a plain valid store (that path also produces the precise error).
 */
function parsePlainGuarded(text: string): KvFileContents | undefined {
  try {
    return parsePlain(text);
  } catch (error) {
    // A hand-made file nested deep enough to exhaust the engine's stack in the native
    // JSON functions: the order-keeping parser, which walks iteratively, reports it.
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}

function parsePlain(text: string): KvFileContents | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const top = doc as Record<string, unknown>;
  const keys = Object.keys(top);
  if (keys.length === 0) return { revision: 0, entries: [] };
  if (keys.some((k) => !TOP_LEVEL.has(k)) || top['version'] !== KV_FILE_VERSION) return undefined;
  const revision = top['revision'] ?? 0;
  const values = top['values'] ?? {};
  const expires = top['expires'] ?? {};
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0)
    return undefined;
  if (!isPlainRecord(values) || !isPlainRecord(expires)) return undefined;
  const entries: [string, KvRecord][] = [];
  for (const [key, value] of Object.entries(values)) {
    const expiresAt = Object.hasOwn(expires, key) ? expires[key] : undefined;
    if (!isValidKvKey(key) || hasNull(value)) return undefined;
    if (expiresAt !== undefined && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)))
      return undefined;
    entries.push([key, { value: JSON.stringify(value), expiresAt }]);
  }
  return { revision, entries };
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== 'object') return false;
  for (const item of Array.isArray(value) ? value : Object.values(value))
    if (hasNull(item)) return true;
  return false;
}

function corrupt(reason: string, cause?: unknown): RillError {
  return kvError('KV_CORRUPT_STORE', `the store file cannot be read: ${reason}`, { reason }, cause);
}
