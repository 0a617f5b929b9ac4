import { fromHostValue, isClosure, stringifyValue, type RillValue } from '@rillkit/core';

/**
 * Render a value (rill or plain JS) as JSON text with dict keys in insertion order, so two
 * values compare equal exactly when their types, contents and key order agree. Closures
 * render as `<closure>`.
 */
export function showValue(value: unknown): string {
  const v: RillValue = fromHostValue(value);
  if (isClosure(v)) return '<closure>';
  return stringifyValue(v);
}

/** An ordered dict built from entries (plain objects would reorder integer-like keys). */
export function dict(...entries: readonly (readonly [string, unknown])[]): Map<string, unknown> {
  return new Map(entries);
}

/** `kv::get("m", "k") via script`, for assertion messages. */
export function describeCall(
  namespace: string,
  fn: string,
  args: readonly unknown[],
  via: string,
): string {
  const shown = args.map((a) => {
    try {
      return showValue(a);
    } catch {
      return String(a);
    }
  });
  const text = `${namespace}::${fn}(${shown.join(', ')}) via ${via}`;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
