import type { RillValue, SourceSpan } from '@rillkit/core';
import { runtimeError } from './runtime-error.js';

// Values are immutable, so a script can build a list that holds the same sublist twice,
// then that list twice, and so on: 30 steps make a value with a billion elements in a few
// kilobytes. Rendering, serialising or deeply comparing it would run for hours without a
// chance to check the timeout, so those operations first count the elements they would
// visit and refuse values beyond this many.
export const MAX_VISITS = 4_000_000;

/**
 * True for a list or dict none of whose elements is a list or dict (and for closures): one
 * visit walks it. Checked without allocating, as most values handed around are flat.
 */
export function isFlat(value: RillValue): boolean {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (typeof value[i] === 'object') return false;
    return true;
  }
  if (value instanceof Map) {
    for (const item of (value as ReadonlyMap<string, RillValue>).values())
      if (typeof item === 'object') return false;
  }
  return true;
}

/** The `LIMIT_VALUE_SIZE` error for a value with more than {@link MAX_VISITS} elements. */
export function tooManyVisits(span: SourceSpan | undefined): Error {
  return runtimeError(
    'LIMIT_VALUE_SIZE',
    `the value has more than ${MAX_VISITS} elements to visit`,
    span,
    { limit: MAX_VISITS },
  );
}

/** `LIMIT_VALUE_SIZE` unless walking `value` element by element stays within bounds. */
export function checkSize(value: RillValue, span: SourceSpan | undefined): void {
  if (typeof value !== 'object' || isFlat(value)) return;
  const stack: RillValue[] = [value];
  let visits = 0;
  while (stack.length > 0) {
    const v = stack.pop() as RillValue;
    if (++visits > MAX_VISITS) throw tooManyVisits(span);
    if (Array.isArray(v)) {
      for (const item of v as readonly RillValue[]) if (typeof item === 'object') stack.push(item);
    } else if (v instanceof Map) {
      for (const item of (v as ReadonlyMap<string, RillValue>).values())
        if (typeof item === 'object') stack.push(item);
    }
  }
}
