import {
  CLOSURE_BRAND,
  type RillClosure,
  type RillParam,
  type RillValue,
  type SourceInfo,
} from '@rillkit/core';
import type { BlockNode, ClosureNode } from '../ast/nodes.js';
import type { Scope } from './scope.js';

/** Marks "no value bound" for `$` and `$@`, which are evaluation state, not variables. */
export const UNBOUND: unique symbol = Symbol('unbound');

/** The `$` or `$@` of an evaluation: a value, or {@link UNBOUND}. */
export type Slot = RillValue | typeof UNBOUND;

const NO_PARAMS: readonly RillParam[] = Object.freeze([]);
// Described once per closure literal, not per closure value.
const PARAMS = new WeakMap<ClosureNode, readonly RillParam[]>();

function describeParams(node: ClosureNode): readonly RillParam[] {
  let params = PARAMS.get(node);
  if (params === undefined) {
    params = Object.freeze(
      node.params.map((p) =>
        Object.freeze({
          name: p.name,
          type: p.typeName ?? 'any',
          hasDefault: p.default !== undefined,
        }),
      ),
    );
    PARAMS.set(node, params);
  }
  return params;
}

/**
 * A closure value made by the script: a `|params| body` literal, or a `{ block }` in value
 * position (no params; binds `$` to its one optional argument). It keeps the scope, `$` and
 * `$@` it was defined with, and its script's source for locating errors raised inside it.
 */
export class ScriptClosure implements RillClosure {
  readonly [CLOSURE_BRAND] = true as const;
  readonly params: readonly RillParam[];

  constructor(
    readonly node: ClosureNode | BlockNode,
    readonly scope: Scope,
    readonly dollar: Slot,
    readonly acc: Slot,
    readonly source: SourceInfo,
  ) {
    this.params = node.type === 'Block' ? NO_PARAMS : describeParams(node);
  }
}

/** True for closures made by this runtime (other closure-branded objects cannot be invoked). */
export function isScriptClosure(value: unknown): value is ScriptClosure {
  return value instanceof ScriptClosure;
}
