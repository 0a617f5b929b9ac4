import { noteDepth } from './depth.js';
import type { RillDict, RillList } from './types.js';

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

/**
 * A list of flat dicts that core built for a result (`fs::list`, `kv::getMany`, ...): its
 * depth recorded (2, or 1 when empty) and sealed, so the runtime takes it over without
 * copying or walking it.
 */
export function sealedListOfDicts(rows: RillDict[]): RillList {
  return sealValue(Object.freeze(noteDepth(rows, rows.length > 0 ? 2 : 1, rows.length)));
}

/** True when `value` was marked by {@link sealValue}. */
export function isSealedValue(value: unknown): boolean {
  return typeof value === 'object' && value !== null && SEALED.has(value);
}
