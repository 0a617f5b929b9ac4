import { RillError } from '../errors/rill-error.js';
import type { RillValue } from './types.js';

// How deep a value nests, tracked as values are built so that checking a new container
// costs one lookup per nested child rather than a walk. Values are immutable, so a
// container's depth never changes once it is recorded.
//
// Only depths of 2 and more are recorded: a list or dict without an entry counts as 1.
// That is sound because every producer of nested containers (the interpreter's literals,
// operators and methods, `fromHostValue`, the JSON readers) records what it builds; the
// converters and formatters are additionally safe at any depth, so a value that slipped
// past these checks still ends in a coded error, never an engine stack overflow.
const DEPTHS = new WeakMap<object, number>();

/** The depth limit rillkit applies when a caller names none (`limits.depth` defaults to it). */
export const DEFAULT_MAX_DEPTH = 1000;

/**
 * Nesting depth of a value: 0 for strings, numbers, bools and closures, 1 for a list or
 * dict holding no list or dict, and one more than its deepest child otherwise.
 */
export function depthOf(value: RillValue): number {
  if (typeof value !== 'object') return 0;
  if (!Array.isArray(value) && !(value instanceof Map)) return 0;
  return DEPTHS.get(value) ?? 1;
}

/** Record the depth of a freshly built list or dict (see {@link depthOf}); returns it. */
export function noteDepth<T extends object>(container: T, depth: number): T {
  if (depth >= 2) DEPTHS.set(container, depth);
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
