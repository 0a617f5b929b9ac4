import { RillError } from '../errors/rill-error.js';
import { isSealedValue } from './sealed.js';
import { isClosure } from './type-of.js';
import type { RillValue } from './types.js';

/**
 * Convert a value handed over by host code into a rill value. Accepts strings, numbers,
 * booleans, arrays, `Map`s with string keys, plain objects and closures; anything else —
 * `undefined`, `null`, functions, symbols, bigints, class instances — throws
 * `HOST_INVALID_RETURN` naming where in the value it was found.
 */
export function fromHostValue(value: unknown, path = 'value'): RillValue {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'object':
      if (value === null) break;
      if (isSealedValue(value)) return value as RillValue;
      if (Array.isArray(value)) {
        let same = Object.isFrozen(value);
        const out = value.map((v, i) => {
          const c = fromHostValue(v, `${path}[${i}]`);
          if (c !== v) same = false;
          return c;
        });
        return same ? (value as RillValue) : Object.freeze(out);
      }
      if (value instanceof Map) {
        const out = new Map<string, RillValue>();
        for (const [k, v] of value) {
          if (typeof k !== 'string') break;
          out.set(k, fromHostValue(v, `${path}.${k}`));
        }
        if (out.size === value.size) return out;
        break;
      }
      if (isClosure(value)) return value;
      if (
        Object.getPrototypeOf(value) === Object.prototype ||
        Object.getPrototypeOf(value) === null
      ) {
        const out = new Map<string, RillValue>();
        for (const [k, v] of Object.entries(value)) out.set(k, fromHostValue(v, `${path}.${k}`));
        return out;
      }
      break;
    default:
      break;
  }
  const shown =
    value === null ? 'null' : typeof value === 'object' ? 'a non-plain object' : typeof value;
  throw new RillError('HOST_INVALID_RETURN', `${path} is ${shown}, which is not a rill value`, {
    details: { path, type: shown },
  });
}

/**
 * Convert a rill value to plain JS data for host code: lists to arrays, dicts to plain
 * objects (closures are passed through). Useful at the edges; inside rillkit prefer values.
 */
export function toHostValue(value: RillValue): unknown {
  if (Array.isArray(value)) return value.map(toHostValue);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      // defineProperty so a `__proto__` key stays an ordinary own property.
      Object.defineProperty(out, k, {
        value: toHostValue(v as RillValue),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}
