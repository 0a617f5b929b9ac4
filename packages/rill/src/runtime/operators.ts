import { type RillValue, type SourceSpan, typeOf, valuesEqual } from '@rillkit/core';
import type { BinaryNode, UnaryNode } from '../ast/nodes.js';
import { runtimeError } from './runtime-error.js';
import { checkSize } from './size-guard.js';
import { compareStrings } from './strings.js';

// Operator semantics shared by both evaluators. rill has no implicit conversions:
// arithmetic takes numbers only, comparisons two numbers or two strings, logic bools only.

/** `value` as a condition: it must be a bool (`EVAL_CONDITION_NOT_BOOL`). */
export function asBool(value: RillValue, span: SourceSpan): boolean {
  // Kept tiny so the engine inlines it into loops; the error path lives elsewhere.
  return typeof value === 'boolean' ? value : notBool(value, span);
}

function notBool(value: RillValue, span: SourceSpan): never {
  throw runtimeError(
    'EVAL_CONDITION_NOT_BOOL',
    `a condition must be a bool, got ${typeOf(value)}`,
    span,
    {
      actual: typeOf(value),
    },
  );
}

function mismatch(node: BinaryNode, l: RillValue, r: RillValue, wanted: string): never {
  throw runtimeError(
    'EVAL_TYPE_MISMATCH',
    `\`${node.operator}\` needs ${wanted}, got ${typeOf(l)} and ${typeOf(r)}`,
    node.span,
    { operator: node.operator, left: typeOf(l), right: typeOf(r) },
  );
}

function compare(node: BinaryNode, l: RillValue, r: RillValue): number {
  if (typeof l === 'number' && typeof r === 'number')
    return l < r ? -1 : l > r ? 1 : l === r ? 0 : NaN;
  if (typeof l === 'string' && typeof r === 'string') return compareStrings(l, r);
  return mismatch(node, l, r, 'two numbers or two strings');
}

/** Deep equality, refusing values too large to compare (`LIMIT_VALUE_SIZE`). */
export function equal(l: RillValue, r: RillValue, span: SourceSpan): boolean {
  if (l === r) return true;
  if (typeof l === 'object' && typeof r === 'object') {
    checkSize(l, span);
    checkSize(r, span);
  }
  return valuesEqual(l, r);
}

/**
 * Apply an arithmetic, comparison or equality operator to evaluated operands. The
 * short-circuit operators (`&&`, `||`, `??`) are handled by the evaluators.
 */
export function applyBinary(node: BinaryNode, l: RillValue, r: RillValue): RillValue {
  const op = node.operator;
  if (typeof l === 'number' && typeof r === 'number') {
    switch (op) {
      case '+':
        return l + r;
      case '-':
        return l - r;
      case '*':
        return l * r;
      case '<':
        return l < r;
      case '>':
        return l > r;
      case '<=':
        return l <= r;
      case '>=':
        return l >= r;
      case '/':
      case '%':
        if (r === 0)
          throw runtimeError('EVAL_DIVISION_BY_ZERO', `\`${op}\` by zero`, node.span, {
            operator: op,
          });
        return op === '/' ? l / r : l % r;
      default:
        break;
    }
  }
  switch (op) {
    case '==':
      return equal(l, r, node.span);
    case '!=':
      return !equal(l, r, node.span);
    case '<':
      return compare(node, l, r) < 0;
    case '>':
      return compare(node, l, r) > 0;
    case '<=':
      return compare(node, l, r) <= 0;
    case '>=':
      return compare(node, l, r) >= 0;
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return mismatch(node, l, r, 'two numbers');
    default:
      // `&&`, `||` and `??` never reach here.
      throw runtimeError('EVAL_INTERNAL', `operator ${op} evaluated eagerly`, node.span);
  }
}

/** `!v` (bool) and `-v` (number). */
export function applyUnary(node: UnaryNode, v: RillValue): RillValue {
  if (node.operator === '!') return !asBool(v, node.operand.span);
  if (typeof v === 'number') return -v;
  throw runtimeError(
    'EVAL_TYPE_MISMATCH',
    `unary \`-\` needs a number, got ${typeOf(v)}`,
    node.span,
    {
      operator: '-',
      actual: typeOf(v),
    },
  );
}
