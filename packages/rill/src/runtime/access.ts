import { type RillValue, type SourceSpan, typeOf } from '@rillkit/core';
import type { ExistsNode, IndexNode, MemberNode } from '../ast/nodes.js';
import { callMethod, hasMethodFor, unknownMethod } from './builtins/methods.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { codePointAt, codePointLength } from './strings.js';

// Member and index access, shared by both evaluators. The `lookup*` forms report a missing
// dict field or an out-of-range index as MISSING instead of throwing, which is what `??`
// needs: only those two outcomes of an access select its default.

/** What a lookup returns when the field or index is not there. */
export const MISSING: unique symbol = Symbol('missing');

/** A looked-up value, or {@link MISSING}. */
export type Found = RillValue | typeof MISSING;

/**
 * `obj.name`: the dict field when present, else the built-in method `name` of the
 * receiver's type called with no arguments, else MISSING for a dict and
 * `EVAL_UNKNOWN_METHOD` for anything else.
 */
export function lookupMember(run: Run, node: MemberNode, obj: RillValue): Found {
  if (obj instanceof Map) {
    const v = (obj as ReadonlyMap<string, RillValue>).get(node.name);
    if (v !== undefined) return v;
  }
  if (hasMethodFor(node.name, obj)) return callMethod(run, node.name, obj, [], node.span);
  if (obj instanceof Map) return MISSING;
  throw unknownMethod(node.name, obj, node.span);
}

/** {@link lookupMember}, with a missing field as `EVAL_MISSING_FIELD`. */
export function member(run: Run, node: MemberNode, obj: RillValue): RillValue {
  const v = lookupMember(run, node, obj);
  if (v === MISSING) throw missingField(node.name, node.span);
  return v;
}

/** `obj.?name`: true when `obj` is a dict with field `name`. */
export function exists(node: ExistsNode, obj: RillValue): boolean {
  return obj instanceof Map && obj.has(node.name);
}

/** `EVAL_MISSING_FIELD` for dict field `name`. */
export function missingField(name: string, span: SourceSpan): Error {
  return runtimeError('EVAL_MISSING_FIELD', `the dict has no field "${name}"`, span, { name });
}

/** `EVAL_INDEX_OUT_OF_RANGE` for `index` into a sequence of `length` elements. */
export function outOfRange(index: number, length: number, span: SourceSpan): Error {
  return runtimeError(
    'EVAL_INDEX_OUT_OF_RANGE',
    `index ${index} is outside 0..${length - 1}`,
    span,
    { index, length },
  );
}

/**
 * An integer position from a script value (`EVAL_TYPE_MISMATCH` for non-numbers,
 * `EVAL_INVALID_ARGUMENT` for fractions), negative counting from the end; -1 when outside
 * `0..length-1`.
 */
export function position(index: RillValue, length: number, span: SourceSpan): number {
  if (typeof index !== 'number') {
    throw runtimeError(
      'EVAL_TYPE_MISMATCH',
      `an index must be a number, got ${typeOf(index)}`,
      span,
      {
        actual: typeOf(index),
      },
    );
  }
  if (!Number.isInteger(index)) {
    throw runtimeError(
      'EVAL_INVALID_ARGUMENT',
      `an index must be a whole number, got ${index}`,
      span,
      { index },
    );
  }
  const i = index < 0 ? length + index : index;
  return i >= 0 && i < length ? i : -1;
}

/** Element `index` of a list or string (by code point), or MISSING when out of range. */
export function elementAt(obj: RillValue, index: RillValue, span: SourceSpan): Found {
  if (Array.isArray(obj)) {
    const list = obj as readonly RillValue[];
    const i = position(index, list.length, span);
    return i < 0 ? MISSING : (list[i] as RillValue);
  }
  if (typeof obj === 'string') {
    const i = position(index, codePointLength(obj), span);
    return i < 0 ? MISSING : codePointAt(obj, i);
  }
  throw runtimeError('EVAL_INTERNAL', 'elementAt on a non-sequence', span);
}

/** `obj[index]`: list/string by integer, dict by string key; MISSING when absent. */
export function lookupIndex(node: IndexNode, obj: RillValue, index: RillValue): Found {
  if (obj instanceof Map) {
    if (typeof index !== 'string') {
      throw runtimeError(
        'EVAL_TYPE_MISMATCH',
        `a dict key must be a string, got ${typeOf(index)}`,
        node.index.span,
        {
          actual: typeOf(index),
        },
      );
    }
    return (obj as ReadonlyMap<string, RillValue>).get(index) ?? MISSING;
  }
  if (Array.isArray(obj) || typeof obj === 'string') return elementAt(obj, index, node.index.span);
  throw runtimeError('EVAL_TYPE_MISMATCH', `cannot index a ${typeOf(obj)}`, node.span, {
    actual: typeOf(obj),
  });
}

/** {@link lookupIndex}, with absence as `EVAL_MISSING_FIELD` or `EVAL_INDEX_OUT_OF_RANGE`. */
export function index(node: IndexNode, obj: RillValue, idx: RillValue): RillValue {
  const v = lookupIndex(node, obj, idx);
  if (v !== MISSING) return v;
  if (obj instanceof Map) throw missingField(idx as string, node.span);
  const length =
    typeof obj === 'string' ? codePointLength(obj) : (obj as readonly RillValue[]).length;
  throw outOfRange(idx as number, length, node.span);
}
