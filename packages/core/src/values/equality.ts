import type { RillValue } from './types.js';

/**
 * Deep value equality: primitives by value (`NaN` equals nothing, as in IEEE), lists
 * element-wise, dicts by their key set and values (key order does not matter), closures by
 * identity. Works at any nesting depth: pairs still to compare wait on an explicit stack,
 * not on the engine's.
 */
export function valuesEqual(a: RillValue, b: RillValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  const left: RillValue[] = [a];
  const right: RillValue[] = [b];
  while (left.length > 0) {
    const x = left.pop() as RillValue;
    const y = right.pop() as RillValue;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object') return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) {
        left.push(x[i] as RillValue);
        right.push(y[i] as RillValue);
      }
    } else if (x instanceof Map) {
      if (!(y instanceof Map) || x.size !== y.size) return false;
      for (const [k, v] of x as ReadonlyMap<string, RillValue>) {
        const other = (y as ReadonlyMap<string, RillValue>).get(k);
        if (other === undefined) return false;
        left.push(v);
        right.push(other);
      }
    } else return false;
  }
  return true;
}
