/**
 * The checks every storage factory applies to its option values, kv and fs alike, so that
 * configuration fails closed (docs/ref-storage.md, "Options fail closed"): an option is
 * absent only when it is `undefined`; `null` is a value like any other and is refused
 * wherever it is not valid, never read as "use the default".
 */

/**
 * The value of an optional option: `fallback` when the option is absent (`undefined`),
 * otherwise the value as given — `null` included — for the caller to check.
 * @example optionOrDefault(null, 'full') // null, not 'full'
 */
export function optionOrDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
}

/**
 * True for a whole number from `min` to `max` (both included). `NaN`, `±Infinity`,
 * fractions, unsafe integers and non-numbers are not.
 * @example isWholeNumberIn(1.5, 1, 10) // false
 */
export function isWholeNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** True for a string with at least one character (names, paths, URLs). */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
