import { formatValue, type RillValue } from '@rillkit/core';

/**
 * How `rill run` / `rill eval` print a script's result: strings raw (so scripts can produce
 * text for other programs), everything else as a rill literal via core's `formatValue`.
 */
export function formatResult(value: RillValue): string {
  return typeof value === 'string' ? value : formatValue(value);
}
