import {
  depthOf,
  formatNumber,
  noteDepth,
  type RillDict,
  type RillList,
  type RillValue,
  type SourceSpan,
} from '@rillkit/core';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { MAX_VISITS, tooManyVisits } from './size-guard.js';

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
  run.charge(stringBytes(text.length), span);
  return text;
}

/** `LIMIT_VALUE_DEPTH` for a container that would nest `depth` deep. */
function depthError(run: Run, depth: number, span: SourceSpan | undefined): Error {
  return runtimeError(
    'LIMIT_VALUE_DEPTH',
    `a value would nest ${depth} deep, more than the limit of ${run.limits.depth}`,
    span,
    { limit: run.limits.depth },
  );
}

/** The depth of the deepest of `items` (0 when none is a list or dict). */
function deepestOf(items: readonly RillValue[]): number {
  let max = 0;
  for (let i = 0; i < items.length; i++) max = deeper(max, items[i] as RillValue);
  return max;
}

/**
 * Freeze a list the script built, after charging it and checking its depth. `items` must
 * be a fresh array nobody else holds.
 */
export function newList(run: Run, items: RillValue[], span: SourceSpan | undefined): RillList {
  return finishList(run, items, deepestOf(items), span);
}

/** {@link newList} for a builder that tracked its items' deepest depth (`childDepth`). */
export function finishList(
  run: Run,
  items: RillValue[],
  childDepth: number,
  span: SourceSpan | undefined,
): RillList {
  run.charge(listBytes(items.length), span);
  if (childDepth >= run.limits.depth) throw depthError(run, childDepth + 1, span);
  return Object.freeze(noteDepth(items, childDepth + 1, items.length));
}

/** Charge and depth-check a dict the script built (a fresh Map nobody else holds). */
export function newDict(run: Run, dict: RillDict, span: SourceSpan | undefined): RillDict {
  let max = 0;
  for (const v of dict.values()) max = deeper(max, v);
  return finishDict(run, dict, max, span);
}

/** {@link newDict} for a builder that tracked its values' deepest depth (`childDepth`). */
export function finishDict(
  run: Run,
  dict: RillDict,
  childDepth: number,
  span: SourceSpan | undefined,
): RillDict {
  run.charge(dictBytes(dict.size), span);
  if (childDepth >= run.limits.depth) throw depthError(run, childDepth + 1, span);
  return noteDepth(dict, childDepth + 1, dict.size);
}

/** The deeper of `max` and `value`'s depth (a helper for builders tracking their children). */
export function deeper(max: number, value: RillValue): number {
  if (typeof value !== 'object') return max;
  const d = depthOf(value);
  return d > max ? d : max;
}

// The charge of one element of a value arriving from outside, without its children.
function ownBytes(v: RillValue): number {
  if (typeof v === 'string') return stringBytes(v.length);
  if (typeof v !== 'object') return 0;
  if (Array.isArray(v)) return listBytes(v.length);
  if (!(v instanceof Map)) return CLOSURE_BYTES;
  let bytes = dictBytes(v.size);
  for (const k of (v as RillDict).keys()) bytes += stringBytes(k.length);
  return bytes;
}

/**
 * Charge for `value` as a whole, for values that arrive from outside the script (host
 * results): walks it, stopping as soon as the charge exceeds what is left. Shared parts
 * are charged each time they are reached, which errs on the safe side. A flat list or dict
 * (a stored record, a listing row), the usual result, is charged in one pass.
 */
export function chargeValue(run: Run, value: RillValue, span: SourceSpan | undefined): void {
  if (typeof value !== 'object') {
    if (typeof value === 'string') run.charge(stringBytes(value.length), span);
    return;
  }
  const flat = flatBytes(value);
  if (flat >= 0) {
    run.charge(flat, span);
    return;
  }
  let bytes = 0;
  const stack: RillValue[] = [value];
  const cap = run.memoryLeft;
  while (stack.length > 0 && bytes <= cap) {
    const v = stack.pop() as RillValue;
    bytes += ownBytes(v);
    if (typeof v === 'object') for (const item of childrenOf(v)) stack.push(item);
  }
  // Past the cap the walk stops; `charge` reports it.
  run.charge(bytes, span);
}

// The charge of a list or dict holding only scalars, in one pass without allocating; -1
// when it holds a list, dict or closure.
function flatBytes(value: RillValue): number {
  if (Array.isArray(value)) {
    let bytes = listBytes(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i] as RillValue;
      if (typeof item === 'string') bytes += stringBytes(item.length);
      else if (typeof item === 'object') return -1;
    }
    return bytes;
  }
  if (!(value instanceof Map)) return -1;
  let bytes = dictBytes(value.size);
  for (const [k, item] of value as RillDict) {
    bytes += stringBytes(k.length);
    if (typeof item === 'string') bytes += stringBytes(item.length);
    else if (typeof item === 'object') return -1;
  }
  return bytes;
}

const NO_CHILDREN: readonly RillValue[] = Object.freeze([]);

function childrenOf(v: RillValue): Iterable<RillValue> {
  if (Array.isArray(v)) return v as RillList;
  if (v instanceof Map) return (v as RillDict).values();
  return NO_CHILDREN;
}

/**
 * A lower bound of the length of `value` rendered as text, both as a rill literal
 * (interpolation, `:>string`, `log`, `.join`) and as compact JSON (`json`), stopping once it
 * passes `cap`. Shared parts count every time they appear, as they do in the text. `-1`
 * when the value has more than `maxVisits` elements to visit.
 */
function textLengthAtLeast(value: RillValue, cap: number, maxVisits: number): number {
  const stack: RillValue[] = [value];
  let n = 0;
  let visits = 0;
  while (stack.length > 0 && n <= cap) {
    if (++visits > maxVisits) return -1;
    const v = stack.pop() as RillValue;
    if (typeof v === 'string') n += v.length + 2;
    else if (typeof v === 'number') n += formatNumber(v).length;
    else if (typeof v === 'boolean') n += v ? 4 : 5;
    else if (Array.isArray(v)) {
      // Brackets and one separator character between elements.
      n += 1 + Math.max(1, v.length);
      for (let i = 0; i < v.length; i++) stack.push((v as RillList)[i] as RillValue);
    } else if (v instanceof Map) {
      // Brackets, separators, and per entry the key and a colon.
      n += 1 + Math.max(1, v.size);
      for (const [k, item] of v as RillDict) {
        n += k.length + 1;
        stack.push(item);
      }
    } else n += 1;
  }
  return n;
}

/**
 * Render `value` (a list, dict or closure) with `render`, charging the text to the run:
 * a lower bound of its length before it is made, so a value that would render enormous
 * text (a list holding one big string a million times) is refused without being written,
 * and the rest once its length is known (`LIMIT_MEMORY`; `LIMIT_VALUE_SIZE` for values
 * with too many elements to visit).
 */
export function chargedRender(
  run: Run,
  value: RillValue,
  span: SourceSpan | undefined,
  render: (value: RillValue) => string,
): string {
  const least = textLengthAtLeast(value, run.memoryLeft, MAX_VISITS);
  if (least < 0) throw tooManyVisits(span);
  run.charge(stringBytes(least), span);
  const text = render(value);
  run.charge(text.length - least, span);
  return text;
}
