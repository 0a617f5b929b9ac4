import { formatValue, type RillValue, stringifyValue } from '@rillkit/core';

/**
 * How `rill run` / `rill eval` print a script's result: strings raw (so scripts can produce
 * text for other programs), everything else as a rill literal via core's `formatValue`;
 * with `isJson`, as JSON indented by two spaces (strings quoted).
 *
 * @throws `EVAL_NOT_SERIALIZABLE` with `isJson` for a value that has no JSON form (a
 *   closure, `NaN`, an infinity, or a collection holding one).
 */
export function formatResult(value: RillValue, isJson = false): string {
  if (isJson) return stringifyValue(value, 2);
  return typeof value === 'string' ? value : formatValue(value);
}
