import { hasType, type RillTypeName, type RillValue, typeOf } from '@rillkit/core';
import type { ConvertNode, TypeAssertNode } from '../ast/nodes.js';
import { newDict, newList } from './budget.js';
import { charactersOf, entriesOf } from './collections.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { toText } from './strings.js';

// Decimal or exponent notation only: no hex, no `Infinity`, no empty text.
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function failed(node: ConvertNode, v: RillValue, reason = ''): never {
  throw runtimeError(
    'EVAL_CONVERSION_FAILED',
    `cannot convert ${typeOf(v)} to ${node.target}${reason}`,
    node.span,
    { from: typeOf(v), to: node.target },
  );
}

function toNumber(node: ConvertNode, v: RillValue): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return failed(node, v);
  const text = v.trim();
  const n = Number(text);
  if (!NUMBER_TEXT.test(text) || !Number.isFinite(n))
    return failed(node, v, `: "${v}" is not a number`);
  return n;
}

function toBool(node: ConvertNode, v: RillValue): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return failed(node, v);
}

// A list of `[key: k, value: v]` dicts — what `:>list` makes of a dict — becomes a dict.
function toDict(run: Run, node: ConvertNode, v: RillValue): RillValue {
  if (v instanceof Map) return v;
  if (!Array.isArray(v)) return failed(node, v);
  const out = new Map<string, RillValue>();
  for (const entry of v as readonly RillValue[]) {
    const key =
      entry instanceof Map ? (entry as ReadonlyMap<string, RillValue>).get('key') : undefined;
    const value =
      entry instanceof Map ? (entry as ReadonlyMap<string, RillValue>).get('value') : undefined;
    if (
      typeof key !== 'string' ||
      value === undefined ||
      (entry as ReadonlyMap<string, RillValue>).size !== 2
    ) {
      return failed(node, v, ': every element must be a [key: string, value: any] dict');
    }
    out.set(key, value);
  }
  return newDict(run, out, node.span);
}

/**
 * `v :> type`. Identity for a value of that type; otherwise:
 * - string: any value, as interpolation renders it (numbers canonical, others as literals);
 * - number: a string in decimal or exponent notation (trimmed);
 * - bool: the strings `"true"` and `"false"`;
 * - list: a dict's `[key:, value:]` entries, a string's characters;
 * - dict: a list of `[key:, value:]` entries;
 * everything else is `EVAL_CONVERSION_FAILED` (there is no truthiness and no number↔bool).
 */
export function convert(run: Run, node: ConvertNode, v: RillValue): RillValue {
  switch (node.target) {
    case 'any':
      return v;
    case 'string':
      return toText(run, v, node.span);
    case 'number':
      return toNumber(node, v);
    case 'bool':
      return toBool(node, v);
    case 'list':
      if (Array.isArray(v)) return v;
      if (v instanceof Map)
        return newList(run, entriesOf(run, v as ReadonlyMap<string, RillValue>, node.span), node.span);
      if (typeof v === 'string') return newList(run, charactersOf(run, v, node.span), node.span);
      return failed(node, v);
    case 'dict':
      return toDict(run, node, v);
    case 'closure':
      return hasType(v, 'closure') ? v : failed(node, v);
    default: {
      const never: never = node.target;
      return failed(node, v, `: unknown type ${String(never)}`);
    }
  }
}

/** `v : type`: `v` unchanged, or `EVAL_TYPE_ASSERTION` (details: expected, actual). */
export function assertType(node: TypeAssertNode, v: RillValue): RillValue {
  if (hasType(v, node.target)) return v;
  throw runtimeError(
    'EVAL_TYPE_ASSERTION',
    `expected ${node.target}, got ${typeOf(v)}`,
    node.span,
    {
      expected: node.target,
      actual: typeOf(v),
    },
  );
}

/** `v :? type`. */
export function checkType(target: RillTypeName, v: RillValue): boolean {
  return hasType(v, target);
}
