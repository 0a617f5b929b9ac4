/** The largest Unicode code point. */
const MAX_CODE_POINT = 0x10ffff;

/**
 * The exclusive upper bound of the keys that start with `prefix`, for a range scan
 * `key >= prefix AND key < bound` on a TEXT column with SQLite's BINARY collation; or
 * `undefined` when no bound is needed (`''`, or a prefix made only of U+10FFFF, which
 * every greater key starts with).
 *
 * BINARY compares the UTF-8 bytes, and UTF-8 byte order is code point order, so the bound
 * is the prefix with its last code point replaced by the next one — skipping the surrogate
 * range, which has no UTF-8 form — after dropping trailing U+10FFFF code points. Every
 * string between `prefix` and the bound starts with `prefix`, and no string at or past the
 * bound does. Working in code points (never UTF-16 code units) keeps the bound valid
 * Unicode, so it binds as text; core guarantees the prefix holds no lone surrogate.
 *
 * Note this is the byte order SQLite sorts in, not the UTF-16 code-unit order `keys`
 * promises (they differ between astral characters and U+E000–U+FFFF); core sorts the
 * listed keys itself, and the range only selects them.
 *
 * @example prefixUpperBound('user:') // 'user;'
 * @example prefixUpperBound('a\u{10FFFF}') // 'b'
 * @example prefixUpperBound('\uD7FF') // '\uE000'
 */
export function prefixUpperBound(prefix: string): string | undefined {
  let end = prefix.length;
  while (end > 0) {
    const start = end >= 2 && isSurrogatePair(prefix, end - 2) ? end - 2 : end - 1;
    const last = prefix.codePointAt(start) as number;
    if (last !== MAX_CODE_POINT) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return prefix.slice(0, start) + String.fromCodePoint(next);
    }
    end = start;
  }
  return undefined;
}

function isSurrogatePair(text: string, at: number): boolean {
  const high = text.charCodeAt(at);
  const low = text.charCodeAt(at + 1);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff;
}
