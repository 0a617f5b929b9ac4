import { RillError } from '../errors/rill-error.js';
import {
  DEFAULT_MAX_DEPTH,
  depthOf,
  engineLimitError,
  noteDepth,
  valueDepthError,
} from './depth.js';
import { isSealedValue } from './sealed.js';
import { isClosure } from './type-of.js';
import type { RillValue } from './types.js';

/**
 * Convert a value handed over by host code into a rill value. Accepts strings, numbers,
 * booleans, arrays, `Map`s with string keys, plain objects and closures; anything else —
 * `undefined`, `null`, functions, symbols, bigints, class instances — throws
 * `HOST_INVALID_RETURN` naming where in the value it was found.
 *
 * Works at any nesting depth up to `maxDepth` (the walk is iterative). Lists and dicts it
 * builds carry their depth (`depthOf`); a value rillkit sealed is returned as is (its depth
 * was recorded when it was built), and so is a frozen array whose elements need no
 * conversion (its depth is recorded on it). A cyclic host value is refused by the limit.
 *
 * @param path how errors name the value (`result`, `args[0]`, `variables.x`).
 * @param maxDepth refuse values nested deeper than this (default `DEFAULT_MAX_DEPTH`).
 * @throws RillError `HOST_INVALID_RETURN` (details `path`, `type`); `LIMIT_VALUE_DEPTH`
 *   (details `limit`, and `path` of the list or dict that went past it).
 */
export function fromHostValue(
  value: unknown,
  path = 'value',
  maxDepth: number = DEFAULT_MAX_DEPTH,
): RillValue {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    default:
      break;
  }
  try {
    return fromHostDeep(value, path, maxDepth);
  } catch (error) {
    throw engineLimitError(error, 'fromHostValue');
  }
}

/** One open array, Map or plain object of {@link fromHostDeep}. */
interface HostFrame {
  readonly source: object;
  /** Entry keys of a Map or object; `undefined` for an array. */
  readonly keys: readonly string[] | undefined;
  readonly values: readonly unknown[];
  readonly out: RillValue[];
  /** Index of the child being converted. */
  index: number;
  /** Deepest child so far. */
  depth: number;
  /** A frozen array whose children all came back unchanged so far: it can be kept. */
  same: boolean;
}

function hostPath(base: string, stack: readonly HostFrame[]): string {
  let path = base;
  for (const f of stack) path += f.keys === undefined ? `[${f.index}]` : `.${f.keys[f.index]}`;
  return path;
}

function invalid(value: unknown, path: string): RillError {
  const shown =
    value === null ? 'null' : typeof value === 'object' ? 'a non-plain object' : typeof value;
  return new RillError('HOST_INVALID_RETURN', `${path} is ${shown}, which is not a rill value`, {
    details: { path, type: shown },
  });
}

// The entries of a container to convert, or undefined when `value` is no container.
function entriesOf(value: object): { keys: string[] | undefined; values: unknown[] } | undefined {
  if (Array.isArray(value)) return { keys: undefined, values: value as unknown[] };
  if (value instanceof Map) {
    const keys: string[] = [];
    const values: unknown[] = [];
    for (const [k, v] of value as Map<unknown, unknown>) {
      if (typeof k !== 'string') return undefined;
      keys.push(k);
      values.push(v);
    }
    return { keys, values };
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (isClosure(value) || (proto !== Object.prototype && proto !== null)) return undefined;
  return { keys: Object.keys(value), values: Object.values(value) };
}

function fromHostDeep(root: unknown, path: string, maxDepth: number): RillValue {
  const stack: HostFrame[] = [];
  let next: unknown = root;
  for (;;) {
    let value: RillValue;
    let depth = 0;
    const v = next;
    switch (typeof v) {
      case 'string':
      case 'number':
      case 'boolean':
        value = v;
        break;
      case 'object': {
        if (v === null) throw invalid(v, hostPath(path, stack));
        if (isSealedValue(v) || isClosure(v)) {
          value = v as RillValue;
          depth = depthOf(value);
          if (stack.length + depth > maxDepth) {
            throw valueDepthError(maxDepth, hostPath(path, stack));
          }
          break;
        }
        const entries = entriesOf(v);
        if (entries === undefined) throw invalid(v, hostPath(path, stack));
        if (stack.length >= maxDepth) throw valueDepthError(maxDepth, hostPath(path, stack));
        const frame: HostFrame = {
          source: v,
          keys: entries.keys,
          values: entries.values,
          out: [],
          index: 0,
          depth: 0,
          same: entries.keys === undefined && Object.isFrozen(v),
        };
        if (entries.values.length > 0) {
          stack.push(frame);
          next = entries.values[0];
          continue;
        }
        value = closeFrame(frame);
        depth = 1;
        break;
      }
      default:
        throw invalid(v, hostPath(path, stack));
    }
    // Hand the value to its parent; close every parent it completes.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return value;
      if (value !== top.values[top.index]) top.same = false;
      top.out.push(value);
      if (depth > top.depth) top.depth = depth;
      top.index++;
      if (top.index < top.values.length) {
        next = top.values[top.index];
        break;
      }
      stack.pop();
      depth = top.depth + 1;
      value = closeFrame(top);
    }
  }
}

function closeFrame(frame: HostFrame): RillValue {
  const depth = frame.depth + 1;
  if (frame.keys === undefined) {
    // Values are immutable, so a frozen host array needing no conversion is kept as is.
    return frame.same
      ? noteDepth(frame.source as RillValue[], depth, frame.out.length)
      : Object.freeze(noteDepth(frame.out, depth, frame.out.length));
  }
  const out = new Map<string, RillValue>();
  for (let i = 0; i < frame.keys.length; i++)
    out.set(frame.keys[i] as string, frame.out[i] as RillValue);
  return noteDepth(out, depth, out.size);
}

/** One open list or dict of {@link toHostValue}'s walk, with the output it fills. */
interface ToHostFrame {
  readonly keys: readonly string[] | undefined;
  readonly values: readonly RillValue[];
  readonly out: unknown[] | Record<string, unknown>;
  index: number;
}

/**
 * Convert a rill value to plain JS data for host code: lists to arrays, dicts to plain
 * objects (closures are passed through). Useful at the edges; inside rillkit prefer values.
 * Works at any nesting depth (the walk is iterative).
 */
export function toHostValue(value: RillValue): unknown {
  if (!Array.isArray(value) && !(value instanceof Map)) return value;
  try {
    return toHostDeep(value);
  } catch (error) {
    throw engineLimitError(error, 'toHostValue');
  }
}

function toHostDeep(root: RillValue): unknown {
  const stack: ToHostFrame[] = [];
  const open = (value: RillValue): unknown => {
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      if (value.length > 0)
        stack.push({ keys: undefined, values: value as RillValue[], out, index: 0 });
      return out;
    }
    if (value instanceof Map) {
      const out: Record<string, unknown> = {};
      if (value.size > 0) {
        const map = value as ReadonlyMap<string, RillValue>;
        stack.push({ keys: [...map.keys()], values: [...map.values()], out, index: 0 });
      }
      return out;
    }
    return value;
  };
  const result = open(root);
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined) return result;
    if (top.index >= top.values.length) {
      stack.pop();
      continue;
    }
    const i = top.index++;
    // Opening the child first: its frame goes on top, so it is filled before its siblings.
    const child = open(top.values[i] as RillValue);
    if (top.keys === undefined) (top.out as unknown[]).push(child);
    else {
      // defineProperty so a `__proto__` key stays an ordinary own property.
      Object.defineProperty(top.out, top.keys[i] as string, {
        value: child,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
  }
}
