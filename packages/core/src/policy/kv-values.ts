import { RillError } from '../errors/rill-error.js';
import { parseJsonValue, stringifyValue } from '../values/json.js';
import { isClosure, typeOf } from '../values/type-of.js';
import { DEFAULT_MAX_DEPTH } from '../values/depth.js';
import type { RillDict, RillList, RillValue } from '../values/types.js';
import { kvError } from './kv-errors.js';
import { utf8Length } from './kv-keys.js';

/**
 * Serialise a value for storage and check its size and depth.
 *
 * Size is checked before any text is built: a lower bound of the JSON's UTF-8 bytes
 * (string and key lengths plus punctuation; a UTF-16 code unit never takes less than one
 * byte) is summed over the value, and the walk stops as soon as it passes `maxValueSize`,
 * so an oversized value is refused without being serialised. Only a value whose bound
 * fits is serialised, and then its exact byte count decides.
 *
 * @param maxDepth the deepest value a kv store accepts (default `DEFAULT_MAX_DEPTH`, the
 *   depth `parseJsonValue` reads back).
 * @throws `KV_TYPE_MISMATCH` when the value (or anything nested in it) is a closure or a
 *   non-finite number — neither has a JSON form, so neither can be stored.
 * @throws `KV_VALUE_TOO_LARGE` when the JSON is more than `maxValueSize` UTF-8 bytes
 *   (exactly `maxValueSize` is fine); details `size` (exact) or `atLeast` (the bound that
 *   already passed the limit), and `maxValueSize`.
 * @throws `LIMIT_VALUE_DEPTH` (details `limit`, `path`) when the value nests deeper than
 *   `maxDepth`.
 * @example encodeKvValue(new Map([['a', 1]]), 100) // '{"a":1}'
 */
export function encodeKvValue(
  value: RillValue,
  maxValueSize: number,
  maxDepth: number = DEFAULT_MAX_DEPTH,
): string {
  refuseOversized(value, maxValueSize);
  let text: string;
  try {
    text = stringifyValue(value, 0, maxDepth);
  } catch (cause) {
    if (RillError.is(cause) && cause.code.startsWith('LIMIT_')) throw cause;
    const actual = isClosure(value) ? 'closure' : typeOf(value);
    const reason = RillError.is(cause) ? cause.message : String(cause);
    throw kvError(
      'KV_TYPE_MISMATCH',
      `this value cannot be stored: ${reason}`,
      { expected: 'a value with a JSON form', actual },
      cause,
    );
  }
  const size = utf8Length(text);
  if (size > maxValueSize) {
    throw kvError(
      'KV_VALUE_TOO_LARGE',
      `the value's JSON is ${size} bytes; maxValueSize is ${maxValueSize}`,
      {
        size,
        maxValueSize,
      },
    );
  }
  return text;
}

// The size pre-check of encodeKvValue: an iterative walk (any depth) that stops as soon as
// the lower bound of the JSON's bytes passes the limit.
function refuseOversized(value: RillValue, maxValueSize: number): void {
  const pending: RillValue[] = [value];
  let bound = 0;
  while (pending.length > 0) {
    const v = pending.pop() as RillValue;
    if (typeof v === 'string') bound += v.length + 2;
    else if (typeof v === 'number') bound += 1;
    else if (typeof v === 'boolean') bound += 4;
    else if (Array.isArray(v)) {
      bound += v.length === 0 ? 2 : v.length + 1;
      for (const item of v as RillList) pending.push(item);
    } else if (v instanceof Map) {
      bound += v.size === 0 ? 2 : v.size + 1;
      for (const [k, item] of v as RillDict) {
        bound += k.length + 3;
        pending.push(item);
      }
    }
    if (bound > maxValueSize) {
      throw kvError(
        'KV_VALUE_TOO_LARGE',
        `the value's JSON is more than ${maxValueSize} bytes (maxValueSize)`,
        { atLeast: bound, maxValueSize },
      );
    }
  }
}

/**
 * Parse a stored value back.
 * @param memoryLeft when defined, a stored text longer than this is refused before it is
 *   parsed (the run's memory budget, `HostCallContext.memoryLeft`).
 * @throws `KV_CORRUPT_STORE` when the text is not JSON rill can represent (malformed, `null`).
 * @throws `LIMIT_VALUE_DEPTH` when it nests deeper than `DEFAULT_MAX_DEPTH`;
 *   `LIMIT_MEMORY` (details `size`, `memoryLeft`) when longer than `memoryLeft`.
 */
export function decodeKvValue(text: string, memoryLeft?: number): RillValue {
  if (memoryLeft !== undefined && text.length > memoryLeft) {
    throw new RillError(
      'LIMIT_MEMORY',
      `the stored value is ${text.length} characters of JSON; the run has ${memoryLeft} bytes of memory left`,
      { details: { size: text.length, memoryLeft } },
    );
  }
  try {
    return parseJsonValue(text);
  } catch (cause) {
    if (RillError.is(cause) && cause.code.startsWith('LIMIT_')) throw cause;
    const reason = RillError.is(cause) ? cause.message : String(cause);
    throw kvError('KV_CORRUPT_STORE', `a stored value cannot be read back: ${reason}`, {}, cause);
  }
}
