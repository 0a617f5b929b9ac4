import type { RillValue } from './types.js';

/**
 * Deep value equality: primitives by value (`NaN` equals nothing, as in IEEE), lists
 * element-wise, dicts by their key set and values (key order does not matter), closures by
 * identity.
 */
export function valuesEqual(a: RillValue, b: RillValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!valuesEqual(a[i] as RillValue, b[i] as RillValue)) return false;
    }
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      const other = b.get(k);
      if (other === undefined || !valuesEqual(v, other)) return false;
    }
    return true;
  }
  return false;
}
