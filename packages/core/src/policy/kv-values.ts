import { RillError } from '../errors/rill-error.js';
import { parseJsonValue, stringifyValue } from '../values/json.js';
import { isClosure, typeOf } from '../values/type-of.js';
import type { RillValue } from '../values/types.js';
import { kvError } from './kv-errors.js';
import { utf8Length } from './kv-keys.js';

/**
 * Serialise a value for storage and check its size.
 *
 * @throws `KV_TYPE_MISMATCH` when the value (or anything nested in it) is a closure or a
 *   non-finite number — neither has a JSON form, so neither can be stored.
 * @throws `KV_VALUE_TOO_LARGE` when the JSON is more than `maxValueSize` UTF-8 bytes
 *   (exactly `maxValueSize` is fine).
 * @example encodeKvValue(new Map([['a', 1]]), 100) // '{"a":1}'
 */
export function encodeKvValue(value: RillValue, maxValueSize: number): string {
  let text: string;
  try {
    text = stringifyValue(value);
  } catch (cause) {
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

/**
 * Parse a stored value back.
 * @throws `KV_CORRUPT_STORE` when the text is not JSON rill can represent (malformed, `null`).
 */
export function decodeKvValue(text: string): RillValue {
  try {
    return parseJsonValue(text);
  } catch (cause) {
    const reason = RillError.is(cause) ? cause.message : String(cause);
    throw kvError('KV_CORRUPT_STORE', `a stored value cannot be read back: ${reason}`, {}, cause);
  }
}
