import type { RillValue, SourceSpan } from '@rillkit/core';
import type {
  BlockNode,
  BreakNode,
  ClosureNode,
  CollectionNode,
  ConditionalNode,
  DoWhileNode,
  ExpressionNode,
  PipeNode,
  ReturnNode,
  ScriptNode,
  WhileNode,
} from '../ast/nodes.js';
import { hasCaptures } from './analysis.js';
import { dollarOf } from './call-args.js';
import { ScriptClosure, type Slot } from './closure.js';
import { deeper, finishList } from './budget.js';
import { elementsOf, iterationLimit } from './collections.js';
import { compileDollar, compiled, type SyncFn } from './compile-sync.js';
import { BreakSignal, breakSignal, ReturnSignal } from './control-signals.js';
import { bindDefault, enterClosure, leaveClosure } from './invoke.js';
import { asBool } from './operators.js';
import type { Run } from './run.js';
import type { Scope } from './scope.js';

// Compiled control flow for the synchronous evaluator: bodies, pipes, conditionals,
// loops, collection operators, `break`/`return`, and closure invocation.

/** Runs statements in the scope it is given; `""` for none. */
function compileStatements(statements: readonly ExpressionNode[]): SyncFn {
  const fns = statements.map(compiled);
  if (fns.length === 0) return () => '';
  if (fns.length === 1) return fns[0] as SyncFn;
  return (run, scope, d, a) => {
    let v: RillValue = '';
    for (let i = 0; i < fns.length; i++) v = (fns[i] as SyncFn)(run, scope, d, a);
    return v;
  };
}

const STATEMENTS = new WeakMap<BlockNode | ScriptNode, SyncFn>();
const BODIES = new WeakMap<BlockNode, SyncFn>();

/** A Block's (or the script's) statements, run in the scope given. */
export function compiledStatements(block: BlockNode | ScriptNode): SyncFn {
  let f = STATEMENTS.get(block);
  if (f === undefined) {
    f = compileStatements(block.statements);
    STATEMENTS.set(block, f);
  }
  return f;
}

/** A body that runs directly (branch, pipe target): a Block in a child scope when it binds names. */
export function compiledBody(node: ExpressionNode): SyncFn {
  if (node.type !== 'Block') return compiled(node);
  let f = BODIES.get(node);
  if (f === undefined) {
    const statements = compiledStatements(node);
    f = hasCaptures(node) ? (run, scope, d, a) => statements(run, scope.child(), d, a) : statements;
    BODIES.set(node, f);
  }
  return f;
}

/** A loop or collection body in the iteration's scope. */
function compiledLoopBody(node: ExpressionNode): SyncFn {
  return node.type === 'Block' ? compiledStatements(node) : compiled(node);
}

/** Invoke a closure value of a sync-invocable literal. */
export type SyncInvoker = (
  run: Run,
  fn: ScriptClosure,
  args: readonly RillValue[],
  depth: number,
  span: SourceSpan,
  a: Slot,
  allowBreak: boolean,
) => RillValue;

const INVOKERS = new WeakMap<ClosureNode | BlockNode, SyncInvoker>();

/**
 * How to invoke closures of `node` synchronously; only valid when its body and defaults
 * are sync. `allowBreak` lets a `break` in the body reach the collection operator that
 * invoked it.
 */
export function syncInvoker(node: ClosureNode | BlockNode): SyncInvoker {
  let f = INVOKERS.get(node);
  if (f !== undefined) return f;
  const body = node.type === 'Block' ? compiledStatements(node) : compiledLoopBody(node.body);
  const params = node.type === 'Block' ? [] : node.params;
  const defaults = params.map((p) => (p.default === undefined ? undefined : compiled(p.default)));
  f = (run, fn, args, depth, span, a, allowBreak) => {
    const scope = enterClosure(run, fn, args, depth, span);
    try {
      for (let i = args.length; i < params.length; i++) {
        bindDefault(
          scope,
          params[i]!,
          (defaults[i] as SyncFn)(run, fn.scope, fn.dollar, fn.acc),
          span,
        );
      }
      return body(run, scope, args.length > 0 ? (args[0] as RillValue) : fn.dollar, a);
    } catch (thrown) {
      return leaveClosure(run, fn, thrown, allowBreak);
    }
  };
  INVOKERS.set(node, f);
  return f;
}

/** `cond ? then ! else`; the piped form tests `$`; a missing else yields `""`. */
export function compileConditional(node: ConditionalNode): SyncFn {
  const condition =
    node.condition === undefined ? compileDollar(node.span) : compiled(node.condition);
  const span = (node.condition ?? node).span;
  const then = compiledBody(node.then);
  const otherwise = node.else === undefined ? () => '' : compiledBody(node.else);
  return (run, scope, d, a) =>
    asBool(condition(run, scope, d, a), span)
      ? then(run, scope, d, a)
      : otherwise(run, scope, d, a);
}

type StepFn = (run: Run, scope: Scope, v: RillValue, a: Slot) => RillValue;

function compileStep(step: PipeNode['steps'][number]): StepFn {
  if (step.type === 'CaptureStep') {
    const { name, span } = step;
    return (_run, scope, v) => {
      scope.capture(name, v, span);
      return v;
    };
  }
  const target = step.target;
  if (target.type === 'Closure') {
    const invoke = syncInvoker(target);
    return (run, scope, v, a) => {
      const fn = new ScriptClosure(target, scope, v, a, run.source);
      return invoke(run, fn, [v], scope.depth + 1, target.span, a, false);
    };
  }
  return compiledBody(target);
}

/** `head -> step => $capture ...`: each step sees the previous value as `$`. */
export function compilePipe(node: PipeNode): SyncFn {
  const head = compiled(node.head);
  const steps = node.steps.map(compileStep);
  return (run, scope, d, a) => {
    let v = head(run, scope, d, a);
    for (let i = 0; i < steps.length; i++) v = (steps[i] as StepFn)(run, scope, v, a);
    return v;
  };
}

/** `(cond) @ body`: loops while `cond` holds, the body's value becoming the next `$`. */
export function compileWhile(node: WhileNode): SyncFn {
  const condition = compiled(node.condition);
  const body = compiledLoopBody(node.body);
  const fresh = hasCaptures(node.body);
  const { span } = node;
  const cspan = node.condition.span;
  return (run, scope, d, a) => {
    let v = dollarOf(d, span);
    const limit = run.limits.iterations;
    let n = 0;
    try {
      while (asBool(condition(run, scope, v, a), cspan)) {
        if (++n > limit) throw iterationLimit(run, span);
        run.tick(span);
        v = body(run, fresh ? scope.child() : scope, v, a);
      }
    } catch (thrown) {
      if (thrown instanceof BreakSignal) return thrown.value;
      throw thrown;
    }
    return v;
  };
}

/** `@ body ? (cond)`: runs the body first; without a condition, until `break` or the limit. */
export function compileDoWhile(node: DoWhileNode): SyncFn {
  const condition = node.condition === undefined ? undefined : compiled(node.condition);
  const body = compiledLoopBody(node.body);
  const fresh = hasCaptures(node.body);
  const { span } = node;
  const cspan = (node.condition ?? node).span;
  return (run, scope, d, a) => {
    let v = dollarOf(d, span);
    const limit = run.limits.iterations;
    let n = 0;
    try {
      do {
        if (++n > limit) throw iterationLimit(run, span);
        run.tick(span);
        v = body(run, fresh ? scope.child() : scope, v, a);
      } while (condition === undefined || asBool(condition(run, scope, v, a), cspan));
    } catch (thrown) {
      if (thrown instanceof BreakSignal) return thrown.value;
      throw thrown;
    }
    return v;
  };
}

/**
 * `each`/`map`/`filter`/`fold`, sequentially (map and filter have nothing to overlap on
 * this path): same results as the concurrent async path, whose outcome is defined as the
 * sequential one.
 */
export function compileCollection(node: CollectionNode): SyncFn {
  const dollar = compileDollar(node.span);
  const init = node.init === undefined ? undefined : compiled(node.init);
  const body = node.body;
  const literal = body.type === 'Closure' ? body : undefined;
  const invoke = literal === undefined ? undefined : syncInvoker(literal);
  const run1 = compiledLoopBody(body);
  const fresh = hasCaptures(body);
  const { operator, span } = node;
  return (run, scope, d, a) => {
    const items = elementsOf(run, dollar(run, scope, d, a), node);
    let acc: Slot = init === undefined ? a : init(run, scope, d, a);
    const fn =
      literal === undefined ? undefined : new ScriptClosure(literal, scope, d, a, run.source);
    const out: RillValue[] = [];
    // The results' deepest depth, taken as each arrives (while its depth is still at hand).
    let depth = 0;
    try {
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as RillValue;
        run.tick(span);
        const v =
          fn === undefined
            ? run1(run, fresh ? scope.child() : scope, item, acc)
            : (invoke as SyncInvoker)(run, fn, [item], scope.depth + 1, body.span, acc, true);
        if (operator === 'filter') {
          if (asBool(v, body.span)) {
            out.push(item);
            depth = deeper(depth, item);
          }
        } else {
          if (init !== undefined) acc = v;
          out.push(v);
          if (operator !== 'fold') depth = deeper(depth, v);
        }
      }
    } catch (thrown) {
      if (!(thrown instanceof BreakSignal)) throw thrown;
    }
    return operator === 'fold' ? (acc as RillValue) : finishList(run, out, depth, span);
  };
}

/** `break`: leaves the innermost loop or collection operator. */
export function compileBreak(node: BreakNode): SyncFn {
  const value = node.value === undefined ? undefined : compiled(node.value);
  return (run, scope, d, a) => {
    throw breakSignal(node, value === undefined ? d : value(run, scope, d, a));
  };
}

/** `return`: leaves the innermost closure, or the script. */
export function compileReturn(node: ReturnNode): SyncFn {
  const value = node.value === undefined ? compileDollar(node.span) : compiled(node.value);
  return (run, scope, d, a) => {
    throw new ReturnSignal(value(run, scope, d, a));
  };
}
