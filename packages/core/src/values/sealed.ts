/**
 * Values rillkit itself built and will never mutate (e.g. the result of `parseJsonValue`).
 * `fromHostValue` hands these back without walking or copying them; any other dict a host
 * returns is copied, because the host might still change its own Map afterwards.
 */
const SEALED = new WeakSet<object>();

/** Mark a freshly built list or dict (and so everything inside it) as never mutated again. */
export function sealValue<T>(value: T): T {
  if (typeof value === 'object' && value !== null) SEALED.add(value);
  return value;
}

/** True when `value` was marked by {@link sealValue}. */
export function isSealedValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && SEALED.has(value);
}
