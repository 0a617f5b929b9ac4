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

/** True when `key` is a valid kv key: a non-empty string of at most 1,024 UTF-8 bytes. */
export function isValidKvKey(key: unknown): key is string {
  return typeof key === 'string' && key.length > 0 && utf8Length(key) <= KV_MAX_KEY_BYTES;
}

/**
 * Check a key and return it typed as a string. Any character is allowed — keys are
 * literal, nothing is special.
 * @throws `KV_INVALID_KEY` for a non-string, an empty string or more than 1,024 UTF-8 bytes.
 * @example assertKvKey('user:42', 'sessions') // 'user:42'
 */
export function assertKvKey(key: unknown, mount: string): string {
  if (isValidKvKey(key)) return key;
  const reason =
    typeof key !== 'string'
      ? `a key must be a string, not ${describe(key)}`
      : key.length === 0
        ? 'a key must not be empty'
        : `a key must be at most ${KV_MAX_KEY_BYTES} UTF-8 bytes (this one has ${utf8Length(key)})`;
  const details: Record<string, unknown> = { mount };
  if (typeof key === 'string') details['key'] = key;
  throw kvError('KV_INVALID_KEY', reason, details);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a dict';
  return `a ${typeof value === 'boolean' ? 'bool' : typeof value}`;
}
