import { kvError } from './kv-errors.js';

/** Longest key, in UTF-8 bytes. */
export const KV_MAX_KEY_BYTES = 1024;

/**
 * UTF-8 byte length of `text` as `TextEncoder` would encode it (a lone surrogate counts as
 * the 3 bytes of U+FFFD), without allocating.
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * True when `text` holds a UTF-16 surrogate that is not half of a pair. Such text has no
 * UTF-8 form: stores that encode it (SQLite, Redis, files) substitute U+FFFD, which would
 * merge distinct keys, so keys and prefixes with one are refused on every backend.
 */
export function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c >= 0xdc00) return true;
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
    i++;
  }
  return false;
}

/**
 * True when `key` is a valid kv key: a non-empty string of at most 1,024 UTF-8 bytes that
 * is well-formed Unicode (no lone surrogate).
 */
export function isValidKvKey(key: unknown): key is string {
  return (
    typeof key === 'string' &&
    key.length > 0 &&
    utf8Length(key) <= KV_MAX_KEY_BYTES &&
    !hasLoneSurrogate(key)
  );
}

/**
 * Check a key and return it typed as a string. Any well-formed Unicode is allowed — keys
 * are literal, nothing is special.
 * @throws `KV_INVALID_KEY` for a non-string, an empty string, more than 1,024 UTF-8 bytes
 *   or a lone surrogate.
 * @example assertKvKey('user:42', 'sessions') // 'user:42'
 */
export function assertKvKey(key: unknown, mount: string): string {
  if (isValidKvKey(key)) return key;
  const reason =
    typeof key !== 'string'
      ? `a key must be a string, not ${describe(key)}`
      : key.length === 0
        ? 'a key must not be empty'
        : hasLoneSurrogate(key)
          ? 'a key must be valid Unicode (it holds an unpaired surrogate)'
          : `a key must be at most ${KV_MAX_KEY_BYTES} UTF-8 bytes (this one has ${utf8Length(key)})`;
  const details: Record<string, unknown> = { mount };
  if (typeof key === 'string') details['key'] = key;
  throw kvError('KV_INVALID_KEY', reason, details);
}

/**
 * Check a `keys`/`getAll`/`clear` prefix. Any well-formed string is a literal prefix, `''`
 * included (all keys); no length limit, since a prefix longer than any key simply matches
 * nothing.
 * @throws `KV_INVALID_KEY` (with `details.prefix`) for a prefix holding a lone surrogate —
 *   a prefix ending in half a surrogate pair included: backends that store UTF-8 could not
 *   select by it the way the others do.
 * @example assertKvPrefix('user:', 'sessions') // 'user:'
 */
export function assertKvPrefix(prefix: string, mount: string): string {
  if (!hasLoneSurrogate(prefix)) return prefix;
  const reason = 'a prefix must be valid Unicode (it holds an unpaired surrogate)';
  throw kvError('KV_INVALID_KEY', reason, { mount, prefix });
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a dict';
  return `a ${typeof value === 'boolean' ? 'bool' : typeof value}`;
}
