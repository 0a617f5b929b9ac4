import { formatValue, type RillValue, type SourceSpan } from '@rillkit/core';
import { chargedRender } from './budget.js';
import type { Run } from './run.js';

// rill strings are sequences of Unicode code points; JS strings are UTF-16. These helpers
// take the fast path when a string has no surrogate pairs (nearly always) and only then
// pay for splitting into code points.

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when every code point of `s` is one UTF-16 unit, so unit and code point indices agree. */
export function isSimple(s: string): boolean {
  return !SURROGATE.test(s);
}

/** The characters (code points) of `s`. */
export function codePoints(s: string): string[] {
  return isSimple(s) ? s.split('') : Array.from(s);
}

/** Number of code points. */
export function codePointLength(s: string): number {
  if (isSimple(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
}

// The UTF-16 offset of code point `i` (at most the code point count) of `s`, found by
// scanning: no array of characters is made, so a long string costs time, not memory.
function unitOffset(s: string, i: number, from = 0, fromPoint = 0): number {
  let unit = from;
  for (let point = fromPoint; point < i; point++) {
    const c = s.charCodeAt(unit);
    const next = s.charCodeAt(unit + 1);
    // A pair is a high surrogate followed by a low one; a lone surrogate is one point.
    unit += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  return unit;
}

/** Code point `i` (0-based, already in range) of `s`. */
export function codePointAt(s: string, i: number): string {
  if (isSimple(s)) return s[i] as string;
  const at = unitOffset(s, i);
  return String.fromCodePoint(s.codePointAt(at) as number);
}

/** Code points `start` to `end` (exclusive, both already clamped) of `s`. */
export function codePointSlice(s: string, start: number, end: number): string {
  if (isSimple(s)) return s.slice(start, end);
  const from = unitOffset(s, start);
  return s.slice(from, unitOffset(s, end, from, start));
}

/**
 * Text of a value inside interpolation, `:>string`, `.join` and `log`: strings as-is,
 * others as rill literals, charged to the run's memory budget before they are rendered
 * (`LIMIT_MEMORY`; `LIMIT_VALUE_SIZE` for values with too many elements to render).
 */
export function toText(run: Run, value: RillValue, span: SourceSpan | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return formatValue(value);
  return chargedRender(run, value, span, formatValue);
}

/**
 * Compare strings by code point (JS `<` compares UTF-16 units, which orders characters
 * above U+FFFF before U+E000..U+FFFF). Returns <0, 0 or >0.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (0xD800..0xDFFF) encode code points above every BMP unit.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? (y >= 0xe000 ? 1 : x - y) : x >= 0xe000 ? -1 : x - y;
    return x - y;
  }
  return a.length - b.length;
}
