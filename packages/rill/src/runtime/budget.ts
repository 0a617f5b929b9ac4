import {
  depthOf,
  noteDepth,
  type RillDict,
  type RillList,
  type RillValue,
  type SourceSpan,
} from '@rillkit/core';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';

// The per-run memory and depth budgets (docs/ref-host-api.md, "Limits"). Every string, list,
// dict and closure a script creates is charged to `limits.memory` before it is handed to
// the script, at an estimate of what the JS engine holds for it: the charge need not be
// exact, only proportional, so that a script's heap growth stays within a small factor of
// the budget. Children are charged when they are built, so a container pays only for its
// own slots; a value shared by many containers is paid for once, as it is held once.

/** Bytes charged for a string of `length` UTF-16 units. */
export const stringBytes = (length: number): number => 16 + length;
/** Bytes charged for a list of `count` elements. */
export const listBytes = (count: number): number => 32 + 8 * count;
/** Bytes charged for a dict of `count` entries. */
export const dictBytes = (count: number): number => 64 + 48 * count;
/** Bytes charged for a closure value. */
export const CLOSURE_BYTES = 64;

/** Charge a string the script built; returns it. */
export function chargedString(run: Run, text: string, span: SourceSpan | undefined): string {
  run.charge(16 + text.length, span);
  return text;
}

/** `LIMIT_VALUE_DEPTH` for a container that would nest `depth` deep. */
export function depthError(run: Run, depth: number, span: SourceSpan | undefined): Error {
  return runtimeError(
    'LIMIT_VALUE_DEPTH',
    `a value would nest ${depth} deep, more than the limit of ${run.limits.depth}`,
    span,
    { limit: run.limits.depth },
  );
}

/** Depth of a container holding `items`: one more than the deepest of them. */
function depthOver(items: readonly RillValue[]): number {
  let max = 0;
  for (let i = 0; i < items.length; i++) {
    const v = items[i] as RillValue;
    if (typeof v === 'object') {
      const d = depthOf(v);
      if (d > max) max = d;
    }
  }
  return max + 1;
}

/**
 * Freeze a list the script built, after charging it and checking its depth. `items` must
 * be a fresh array nobody else holds.
 */
export function newList(run: Run, items: RillValue[], span: SourceSpan | undefined): RillList {
  return finishList(run, items, depthOver(items) - 1, span);
}

/** {@link newList} for a builder that tracked its items' deepest depth (`childDepth`). */
export function finishList(
  run: Run,
  items: RillValue[],
  childDepth: number,
  span: SourceSpan | undefined,
): RillList {
  run.charge(32 + 8 * items.length, span);
  if (childDepth >= run.limits.depth) throw depthError(run, childDepth + 1, span);
  return Object.freeze(noteDepth(items, childDepth + 1, items.length));
}

/** Charge and depth-check a dict the script built (a fresh Map nobody else holds). */
export function newDict(run: Run, dict: RillDict, span: SourceSpan | undefined): RillDict {
  let max = 0;
  for (const v of dict.values()) {
    if (typeof v === 'object') {
      const d = depthOf(v);
      if (d > max) max = d;
    }
  }
  return finishDict(run, dict, max, span);
}

/** {@link newDict} for a builder that tracked its values' deepest depth (`childDepth`). */
export function finishDict(
  run: Run,
  dict: RillDict,
  childDepth: number,
  span: SourceSpan | undefined,
): RillDict {
  run.charge(64 + 48 * dict.size, span);
  if (childDepth >= run.limits.depth) throw depthError(run, childDepth + 1, span);
  return noteDepth(dict, childDepth + 1, dict.size);
}

/** The deeper of `max` and `value`'s depth (a helper for builders tracking their children). */
export function deeper(max: number, value: RillValue): number {
  if (typeof value !== 'object') return max;
  const d = depthOf(value);
  return d > max ? d : max;
}

// The charge for a list or dict holding only scalars, or -1 when it holds more: most host
// results (a stored record, a file's text, a listing row) are charged without a walk.
function flatBytes(value: RillValue): number {
  if (Array.isArray(value)) {
    let bytes = 32 + 8 * value.length;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as RillValue;
      if (typeof item === 'string') bytes += 16 + item.length;
      else if (typeof item === 'object') return -1;
    }
    return bytes;
  }
  if (value instanceof Map) {
    let bytes = 64 + 48 * value.size;
    for (const [k, item] of value as RillDict) {
      bytes += 16 + k.length;
      if (typeof item === 'string') bytes += 16 + item.length;
      else if (typeof item === 'object') return -1;
    }
    return bytes;
  }
  return -1;
}

/**
 * Charge for `value` as a whole, for values that arrive from outside the script (host
 * results): walks it, stopping as soon as the charge exceeds what is left. Shared parts
 * are charged each time they are reached, which errs on the safe side.
 */
export function chargeValue(run: Run, value: RillValue, span: SourceSpan | undefined): void {
  if (typeof value === 'string') {
    run.charge(16 + value.length, span);
    return;
  }
  if (typeof value !== 'object') return;
  const flat = flatBytes(value);
  if (flat >= 0) {
    run.charge(flat, span);
    return;
  }
  const stack: RillValue[] = [value];
  let bytes = 0;
  const cap = run.memoryLeft;
  while (stack.length > 0) {
    const v = stack.pop() as RillValue;
    if (typeof v === 'string') bytes += 16 + v.length;
    else if (Array.isArray(v)) {
      bytes += 32 + 8 * v.length;
      for (let i = 0; i < v.length; i++) {
        const item = (v as RillList)[i] as RillValue;
        if (typeof item === 'object' || typeof item === 'string') stack.push(item);
      }
    } else if (v instanceof Map) {
      bytes += 64 + 48 * v.size;
      for (const [k, item] of v as RillDict) {
        bytes += 16 + k.length;
        if (typeof item === 'object' || typeof item === 'string') stack.push(item);
      }
    } else if (typeof v === 'object') bytes += CLOSURE_BYTES;
    // Stop walking once the charge cannot fit; `charge` reports it.
    if (bytes > cap) break;
  }
  run.charge(bytes, span);
}

/**
 * A lower bound of the length of `value` rendered as rill literal text (what interpolation,
 * `:>string`, `log` and `.join` make of a non-string), stopping once it passes `cap`.
 * Shared parts count every time they appear, as they do in the text. `-1` when the value
 * has more than `maxVisits` elements to visit.
 */
export function textLengthAtLeast(value: RillValue, cap: number, maxVisits: number): number {
  if (typeof value === 'string') return value.length + 2;
  if (typeof value !== 'object') return 1;
  const stack: RillValue[] = [value];
  let n = 0;
  let visits = 0;
  while (stack.length > 0 && n <= cap) {
    if (++visits > maxVisits) return -1;
    const v = stack.pop() as RillValue;
    if (typeof v === 'string') n += v.length + 2;
    else if (Array.isArray(v)) {
      n += 2 * v.length + 2;
      for (let i = 0; i < v.length; i++) stack.push((v as RillList)[i] as RillValue);
    } else if (v instanceof Map) {
      n += 4 * v.size + 3;
      for (const [k, item] of v as RillDict) {
        n += k.length;
        stack.push(item);
      }
    } else n += 1;
  }
  return n;
}
