import { formatValue, type RillValue, type SourceSpan } from '@rillkit/core';
import { textLengthAtLeast } from './budget.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { MAX_VISITS } from './size-guard.js';

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

/** Code point `i` (0-based, already in range) of `s`. */
export function codePointAt(s: string, i: number): string {
  return isSimple(s) ? (s[i] as string) : (Array.from(s)[i] as string);
}

/** Code points `start` to `end` (exclusive, both already clamped) of `s`. */
export function codePointSlice(s: string, start: number, end: number): string {
  return isSimple(s) ? s.slice(start, end) : Array.from(s).slice(start, end).join('');
}

/**
 * Text of a value inside interpolation, `:>string`, `.join` and `log`: strings as-is,
 * others as rill literals, charged to the run's memory budget before they are rendered
 * (`LIMIT_MEMORY`; `LIMIT_VALUE_SIZE` for values with too many elements to render).
 */
export function toText(run: Run, value: RillValue, span: SourceSpan | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return formatValue(value);
  const least = textLengthAtLeast(value, run.memoryLeft, MAX_VISITS);
  if (least < 0) {
    throw runtimeError(
      'LIMIT_VALUE_SIZE',
      `the value has more than ${MAX_VISITS} elements to visit`,
      span,
      { limit: MAX_VISITS },
    );
  }
  run.charge(16 + least, span);
  const text = formatValue(value);
  run.charge(text.length - least, span);
  return text;
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
