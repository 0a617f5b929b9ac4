import { RillError } from '../errors/rill-error.js';
import type { RillValue } from './types.js';

// How deep a value nests (docs/ref-host-api.md, "Limits"), exactly and cheaply enough to be
// checked every time a list or dict is built.
//
// Values are immutable, so a depth once known never changes. Deep values (depth >=
// RECORD_FROM) and large ones (whose depth took a long walk to find) carry their depth as a
// non-enumerable symbol property, or in a WeakMap when they were frozen before it was
// known. Everything else is shallow and small, and its depth is found by a short walk: for
// the small containers scripts build by the thousand that is cheaper than recording (a
// property or WeakMap entry per container made building nested literals three times
// slower). A value no producer recorded (e.g. a deep frozen array a host handed over) is
// still measured exactly, by an iterative walk that visits each shared part once.
const DEPTH = Symbol('rillkit.depth');
const FROZEN_DEPTHS = new WeakMap<object, number>();
let hasFrozenDepths = false;

/** Depths from here on are recorded on the container when it is built. */
const RECORD_FROM = 8;
/** Elements a walk visits before it switches to the memoizing walk and records its result. */
const SHORT_WALK = 64;

/** The depth limit rillkit applies when a caller names none (`limits.depth` defaults to it). */
export const DEFAULT_MAX_DEPTH = 1000;

type Container = readonly RillValue[] | ReadonlyMap<string, RillValue>;

function isContainer(value: object): value is Container {
  return Array.isArray(value) || value instanceof Map;
}

function recorded(value: object): number | undefined {
  const own = (value as { [DEPTH]?: number })[DEPTH];
  if (own !== undefined || !hasFrozenDepths) return own;
  return FROZEN_DEPTHS.get(value);
}

function record(container: object, depth: number): void {
  if (Object.isExtensible(container)) {
    Object.defineProperty(container, DEPTH, { value: depth });
  } else {
    hasFrozenDepths = true;
    FROZEN_DEPTHS.set(container, depth);
  }
}

// The container recorded last, whose depth is known without a lookup: a freshly built
// value is usually placed in its parent at once (a literal's element, a `map` body's result).
// Forgotten on its first lookup, so at most one value that nobody asked about stays held.
let lastContainer: object | undefined;
let lastDepth = 0;

// Visits left to the current short walk; below zero it gives up (returns -1).
let shortLeft = 0;

function shortDepth(value: Container): number {
  let max = 0;
  if (Array.isArray(value)) {
    shortLeft -= value.length;
    if (shortLeft < 0) return -1;
    for (let i = 0; i < value.length; i++) {
      const child = value[i] as RillValue;
      if (typeof child !== 'object' || !isContainer(child)) continue;
      const d = recorded(child) ?? shortDepth(child);
      if (d < 0) return -1;
      if (d > max) max = d;
    }
  } else {
    shortLeft -= (value as ReadonlyMap<string, RillValue>).size;
    if (shortLeft < 0) return -1;
    for (const child of (value as ReadonlyMap<string, RillValue>).values()) {
      if (typeof child !== 'object' || !isContainer(child)) continue;
      const d = recorded(child) ?? shortDepth(child);
      if (d < 0) return -1;
      if (d > max) max = d;
    }
  }
  return max + 1;
}

function childrenOf(value: Container): Iterable<RillValue> {
  return Array.isArray(value) ? value : (value as ReadonlyMap<string, RillValue>).values();
}

// Post-order without recursion: a container's depth is settled once all its children's
// are; each distinct container is settled once, however often it is shared.
function longDepth(root: Container): number {
  const settled = new Map<object, number>();
  const stack: Container[] = [root];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Container;
    if (settled.has(top)) {
      stack.pop();
      continue;
    }
    let max = 0;
    let pending = false;
    for (const child of childrenOf(top)) {
      if (typeof child !== 'object' || !isContainer(child)) continue;
      const d = recorded(child) ?? settled.get(child);
      if (d === undefined) {
        stack.push(child);
        pending = true;
      } else if (d > max) max = d;
    }
    if (!pending) {
      settled.set(top, max + 1);
      stack.pop();
    }
  }
  return settled.get(root) as number;
}

/**
 * Nesting depth of a value: 0 for strings, numbers, bools and closures, 1 for a list or
 * dict holding no list or dict, and one more than its deepest child otherwise. Exact for
 * any value, at any depth; O(1) for values rillkit recorded, a short walk for small ones.
 */
export function depthOf(value: RillValue): number {
  if (typeof value !== 'object') return 0;
  if (value === lastContainer) {
    // Asked for once, by the container it is placed in; then it need not stay alive here.
    lastContainer = undefined;
    return lastDepth;
  }
  const known = recorded(value);
  if (known !== undefined) return known;
  if (!isContainer(value)) return 0;
  shortLeft = SHORT_WALK;
  const short = shortDepth(value);
  if (short >= 0) return short;
  const depth = longDepth(value);
  record(value, depth);
  return depth;
}

/**
 * Tell {@link depthOf} the depth of a freshly built list or dict, computed from its
 * children's; returns the container. Call it before freezing a list: recording on a
 * frozen one costs a WeakMap entry. Shallow, small containers are not recorded at all.
 */
export function noteDepth<T extends object>(container: T, depth: number, size = 0): T {
  lastContainer = container;
  lastDepth = depth;
  if (depth >= RECORD_FROM || size > SHORT_WALK) record(container, depth);
  return container;
}

/**
 * Nesting the recursive fast paths of the converters and formatters go to before handing
 * the value to their iterative form: far below any engine stack limit, far above what
 * everyday values need.
 */
export const FAST_PATH_DEPTH = 64;

/**
 * The `LIMIT_VALUE_DEPTH` error: `path` names the list or dict that went past `limit`
 * (the first one found at nesting level `limit + 1`).
 */
export function valueDepthError(limit: number, path: string): RillError {
  return new RillError(
    'LIMIT_VALUE_DEPTH',
    `${path} is nested deeper than the depth limit of ${limit}`,
    { details: { limit, path } },
  );
}

/**
 * Turn a `RangeError` the engine raised while walking a value into a coded error: an
 * exhausted stack becomes `LIMIT_VALUE_DEPTH`, a string or array past the engine's maximum
 * length `LIMIT_VALUE_SIZE`. Anything else is returned unchanged. The walks are iterative,
 * so this only fires when the caller itself left almost no stack, or output is gigantic.
 */
export function engineLimitError(error: unknown, what: string): unknown {
  if (!(error instanceof RangeError)) return error;
  if (/call stack/i.test(error.message)) {
    return new RillError('LIMIT_VALUE_DEPTH', `${what}: the engine ran out of stack`, {
      details: { reason: 'stack' },
      cause: error,
    });
  }
  return new RillError(
    'LIMIT_VALUE_SIZE',
    `${what}: the result is larger than the engine can hold`,
    {
      details: { reason: error.message },
      cause: error,
    },
  );
}
