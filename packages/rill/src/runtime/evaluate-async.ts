import type { RillValue, SourceSpan } from '@rillkit/core';
import type {
  BinaryNode,
  CallNode,
  CollectionNode,
  ConditionalNode,
  DoWhileNode,
  ExpressionNode,
  InvokeNode,
  PipeNode,
  WhileNode,
} from '../ast/nodes.js';
import { exists, type Found, index, lookupIndex, lookupMember, member, MISSING } from './access.js';
import { canInvokeSync, hasCaptures, isSync } from './analysis.js';
import { compiled } from './compile-sync.js';
import { compiledBody, compiledStatements, syncInvoker } from './compile-sync-flow.js';
import { BUILTIN_FUNCTIONS } from './builtins/functions.js';
import { callMethod } from './builtins/methods.js';
import { callArgs, checkArgs, dollarOf } from './call-args.js';
import { ScriptClosure, type Slot } from './closure.js';
import { elementsOf, iterationLimit, runConcurrent } from './collections.js';
import { BreakSignal, breakSignal, ReturnSignal } from './control-signals.js';
import { assertType, checkType, convert } from './conversions.js';
import { chargedString, newDict, newList } from './budget.js';
import { callHost } from './host-call.js';
import { asClosure, bindDefault, enterClosure, leaveClosure } from './invoke.js';
import { applyBinary, applyUnary, asBool } from './operators.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import type { Scope } from './scope.js';
import { assertion, scriptError, stringOf } from './statements.js';
import { suggestName } from './suggest.js';

// The asynchronous evaluator: a tree walker for the subtrees that may await (host calls,
// invocations of closure values), mirroring compile-sync.ts node for node. Every child goes
// through `evaluate`, which runs sync subtrees on their compiled synchronous form.

/** Evaluate `node`: synchronously when the analysis allows, else asynchronously. */
export function evaluate(
  run: Run,
  node: ExpressionNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): RillValue | Promise<RillValue> {
  if (isSync(node)) return compiled(node)(run, scope, d, a);
  // Host calls skip the async walker's own promise: a host that answers synchronously costs none.
  return node.type === 'Call'
    ? callAsync(run, node, scope, d, a)
    : evalAsync(run, node, scope, d, a);
}

async function evalAsync(
  run: Run,
  node: ExpressionNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  switch (node.type) {
    case 'PipeValue':
    case 'Number':
    case 'Bool':
    case 'Variable':
    case 'Accumulator':
    case 'Closure':
    case 'Block':
      return compiled(node)(run, scope, d, a);
    case 'Binary':
      return binaryAsync(run, node, scope, d, a);
    case 'Pipe':
      return pipeAsync(run, node, scope, d, a);
    case 'String': {
      let text = '';
      for (const part of node.parts)
        text +=
          typeof part === 'string'
            ? part
            : stringOf(run, await evaluate(run, part, scope, d, a), part.span);
      return chargedString(run, text, node.span);
    }
    case 'Member':
      return member(run, node, await evaluate(run, node.object, scope, d, a));
    case 'MethodCall': {
      const recv = await evaluate(run, node.object, scope, d, a);
      return callMethod(
        run,
        node.name,
        recv,
        await listAsync(run, node.args, scope, d, a),
        node.span,
      );
    }
    case 'Index': {
      const obj = await evaluate(run, node.object, scope, d, a);
      return index(node, obj, await evaluate(run, node.index, scope, d, a));
    }
    case 'Conditional':
      return conditionalAsync(run, node, scope, d, a);
    case 'List':
      return newList(run, await listAsync(run, node.elements, scope, d, a), node.span);
    case 'Dict': {
      const out = new Map<string, RillValue>();
      for (const e of node.entries) out.set(e.key, await evaluate(run, e.value, scope, d, a));
      return newDict(run, out, node.span);
    }
    case 'Unary':
      return applyUnary(node, await evaluate(run, node.operand, scope, d, a));
    case 'Exists':
      return exists(node, await evaluate(run, node.object, scope, d, a));
    case 'Convert':
      return convert(run, node, await evaluate(run, node.object, scope, d, a));
    case 'TypeAssert':
      return assertType(node, await evaluate(run, node.object, scope, d, a));
    case 'TypeCheck':
      return checkType(node.target, await evaluate(run, node.object, scope, d, a));
    case 'Call':
      return callAsync(run, node, scope, d, a);
    case 'Invoke':
      return invokeNodeAsync(run, node, scope, d, a);
    case 'While':
    case 'DoWhile':
      return loopAsync(run, node, scope, d, a);
    case 'Collection':
      return collectionAsync(run, node, scope, d, a);
    case 'Break':
      throw breakSignal(
        node,
        node.value === undefined ? d : await evaluate(run, node.value, scope, d, a),
      );
    case 'Return':
      throw new ReturnSignal(
        node.value === undefined
          ? dollarOf(d, node.span)
          : await evaluate(run, node.value, scope, d, a),
      );
    case 'Assert': {
      const ok = asBool(await evaluate(run, node.condition, scope, d, a), node.condition.span);
      return assertion(
        run,
        node,
        ok,
        d,
        ok || node.message === undefined
          ? undefined
          : await evaluate(run, node.message, scope, d, a),
      );
    }
    case 'Error':
      throw scriptError(
        node,
        node.message === undefined
          ? dollarOf(d, node.span)
          : await evaluate(run, node.message, scope, d, a),
      );
    default: {
      const never: never = node;
      throw runtimeError(
        'EVAL_INTERNAL',
        `unknown node ${(never as ExpressionNode).type}`,
        undefined,
      );
    }
  }
}

async function listAsync(
  run: Run,
  nodes: readonly ExpressionNode[],
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue[]> {
  const out = new Array<RillValue>(nodes.length);
  for (let i = 0; i < nodes.length; i++)
    out[i] = await evaluate(run, nodes[i] as ExpressionNode, scope, d, a);
  return out;
}

// Argument lists are usually literals or variables: evaluate them without a promise when
// every element is a sync subtree.
function listMaybe(
  run: Run,
  nodes: readonly ExpressionNode[],
  scope: Scope,
  d: Slot,
  a: Slot,
): RillValue[] | Promise<RillValue[]> {
  for (let i = 0; i < nodes.length; i++) {
    if (!isSync(nodes[i] as ExpressionNode)) return listAsync(run, nodes, scope, d, a);
  }
  const out = new Array<RillValue>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as ExpressionNode;
    out[i] = compiled(node)(run, scope, d, a);
  }
  return out;
}

/** Run statements in `scope`; the last one's value, `""` when there are none. */
export async function statementsAsync(
  run: Run,
  statements: readonly ExpressionNode[],
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  let v: RillValue = '';
  for (let i = 0; i < statements.length; i++) {
    const r = evaluate(run, statements[i] as ExpressionNode, scope, d, a);
    v = r instanceof Promise ? await r : r;
  }
  return v;
}

function bodyAsync(
  run: Run,
  node: ExpressionNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): RillValue | Promise<RillValue> {
  if (isSync(node)) return compiledBody(node)(run, scope, d, a);
  if (node.type !== 'Block') return evalAsync(run, node, scope, d, a);
  return statementsAsync(run, node.statements, hasCaptures(node) ? scope.child() : scope, d, a);
}

function loopBodyAsync(
  run: Run,
  node: ExpressionNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): RillValue | Promise<RillValue> {
  if (node.type !== 'Block') return evaluate(run, node, scope, d, a);
  return isSync(node)
    ? compiledStatements(node)(run, scope, d, a)
    : statementsAsync(run, node.statements, scope, d, a);
}

async function binaryAsync(
  run: Run,
  node: BinaryNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  const op = node.operator;
  if (op === '&&' || op === '||') {
    const l = asBool(await evaluate(run, node.left, scope, d, a), node.left.span);
    if (op === '&&' ? !l : l) return l;
    return asBool(await evaluate(run, node.right, scope, d, a), node.right.span);
  }
  if (op === '??') {
    const v = await chainAsync(run, node.left, scope, d, a);
    return v === MISSING ? evaluate(run, node.right, scope, d, a) : v;
  }
  const l = await evaluate(run, node.left, scope, d, a);
  return applyBinary(node, l, await evaluate(run, node.right, scope, d, a));
}

async function chainAsync(
  run: Run,
  node: ExpressionNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<Found> {
  if (node.type === 'Member') {
    const obj = await chainAsync(run, node.object, scope, d, a);
    return obj === MISSING ? MISSING : lookupMember(run, node, obj);
  }
  if (node.type === 'Index') {
    const obj = await chainAsync(run, node.object, scope, d, a);
    return obj === MISSING
      ? MISSING
      : lookupIndex(node, obj, await evaluate(run, node.index, scope, d, a));
  }
  return evaluate(run, node, scope, d, a);
}

async function conditionalAsync(
  run: Run,
  node: ConditionalNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  const c =
    node.condition === undefined
      ? dollarOf(d, node.span)
      : await evaluate(run, node.condition, scope, d, a);
  if (asBool(c, (node.condition ?? node).span)) return bodyAsync(run, node.then, scope, d, a);
  return node.else === undefined ? '' : bodyAsync(run, node.else, scope, d, a);
}

async function pipeAsync(
  run: Run,
  node: PipeNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  let v = await evaluate(run, node.head, scope, d, a);
  for (const step of node.steps) {
    if (step.type === 'CaptureStep') scope.capture(step.name, v, step.span);
    else if (step.target.type === 'Closure') {
      const fn = new ScriptClosure(step.target, scope, v, a, run.source);
      v = await invokeAsync(run, fn, [v], scope.depth + 1, step.target.span, a, false);
    } else v = await bodyAsync(run, step.target, scope, v, a);
  }
  return v;
}

function unknownFunction(run: Run, node: CallNode): Error {
  const suggestion = suggestName(node.name, [
    ...BUILTIN_FUNCTIONS.keys(),
    ...run.internals.functions.keys(),
  ]);
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return runtimeError('EVAL_UNKNOWN_FUNCTION', `unknown function ${node.name}${hint}`, node.span, {
    name: node.name,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
}

function callAsync(
  run: Run,
  node: CallNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): RillValue | Promise<RillValue> {
  const builtin = BUILTIN_FUNCTIONS.get(node.name);
  if (builtin !== undefined) {
    return withList(listMaybe(run, node.args, scope, d, a), (written) =>
      builtin.call(
        run,
        checkArgs(
          'EVAL',
          node.name,
          builtin.params,
          builtin.required,
          callArgs(node, written, d, builtin.required > 0),
          node.span,
        ),
        node.span,
      ),
    );
  }
  const host = run.internals.functions.get(node.name);
  if (host === undefined) throw unknownFunction(run, node);
  return withList(listMaybe(run, node.args, scope, d, a), (written) =>
    callHost(
      run,
      host,
      callArgs(node, written, d, host.required > 0),
      scope.depth + 1,
      node.span,
      invokeFromHost,
    ),
  );
}

function withList(
  list: RillValue[] | Promise<RillValue[]>,
  then: (values: RillValue[]) => RillValue | Promise<RillValue>,
): RillValue | Promise<RillValue> {
  return list instanceof Promise ? list.then(then) : then(list);
}

function invokeFromHost(
  run: Run,
  fn: ScriptClosure,
  args: readonly RillValue[],
  depth: number,
  span: SourceSpan,
): Promise<RillValue> {
  return invokeAsync(run, fn, args, depth, span, fn.acc, false);
}

async function invokeNodeAsync(
  run: Run,
  node: InvokeNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  const fn = asClosure(await evaluate(run, node.callee, scope, d, a), node.callee.span);
  const takesDollar =
    fn.node.type === 'Block' || fn.node.params.some((p) => p.default === undefined);
  const args = callArgs(node, await listAsync(run, node.args, scope, d, a), d, takesDollar);
  return invokeAsync(run, fn, args, scope.depth + 1, node.span, fn.acc, false);
}

/** Invoke any closure; sync bodies and defaults run on the synchronous evaluator. */
export async function invokeAsync(
  run: Run,
  fn: ScriptClosure,
  args: readonly RillValue[],
  depth: number,
  span: SourceSpan,
  a: Slot,
  allowBreak: boolean,
): Promise<RillValue> {
  const node = fn.node;
  if (canInvokeSync(node)) return syncInvoker(node)(run, fn, args, depth, span, a, allowBreak);
  const scope = enterClosure(run, fn, args, depth, span);
  try {
    if (node.type === 'Block') {
      return await loopBodyAsync(
        run,
        node,
        scope,
        args.length > 0 ? (args[0] as RillValue) : fn.dollar,
        a,
      );
    }
    for (let i = args.length; i < node.params.length; i++) {
      const p = node.params[i]!;
      bindDefault(scope, p, await evaluate(run, p.default!, fn.scope, fn.dollar, fn.acc), span);
    }
    return await loopBodyAsync(
      run,
      node.body,
      scope,
      args.length > 0 ? (args[0] as RillValue) : fn.dollar,
      a,
    );
  } catch (thrown) {
    return leaveClosure(run, fn, thrown, allowBreak);
  }
}

/** `(cond) @ body` (condition first) and `@ body ? (cond)` (body first). */
async function loopAsync(
  run: Run,
  node: WhileNode | DoWhileNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  let v = dollarOf(d, node.span);
  const limit = run.limits.iterations;
  const fresh = hasCaptures(node.body);
  const cond = node.condition;
  const first = node.type === 'While';
  let n = 0;
  try {
    for (;;) {
      if (first && !asBool(await evaluate(run, node.condition, scope, v, a), node.condition.span))
        break;
      if (++n > limit) throw iterationLimit(run, node.span);
      run.tick(node.span);
      v = await loopBodyAsync(run, node.body, fresh ? scope.child() : scope, v, a);
      if (
        !first &&
        cond !== undefined &&
        !asBool(await evaluate(run, cond, scope, v, a), cond.span)
      )
        break;
    }
  } catch (thrown) {
    if (thrown instanceof BreakSignal) return thrown.value;
    throw thrown;
  }
  return v;
}

async function collectionAsync(
  run: Run,
  node: CollectionNode,
  scope: Scope,
  d: Slot,
  a: Slot,
): Promise<RillValue> {
  const items = elementsOf(run, dollarOf(d, node.span), node);
  let acc: Slot = node.init === undefined ? a : await evaluate(run, node.init, scope, d, a);
  const body = node.body;
  const literal =
    body.type === 'Closure' ? new ScriptClosure(body, scope, d, a, run.source) : undefined;
  const fresh = hasCaptures(body);
  // One element: a closure literal is invoked; a `$fn` body is invoked when it holds a
  // closure; any other body runs with `$` = the element.
  const element = async (item: RillValue, accumulator: Slot): Promise<RillValue> => {
    run.tick(node.span);
    if (literal !== undefined)
      return invokeAsync(run, literal, [item], scope.depth + 1, body.span, accumulator, true);
    const s = fresh ? scope.child() : scope;
    const v = await loopBodyAsync(run, body, s, item, accumulator);
    if (body.type !== 'Variable') return v;
    // A `$fn` body must hold a closure. It is not lexically inside the operator, so a
    // `break` in it does not reach the operator.
    return invokeAsync(
      run,
      asClosure(v, body.span),
      [item],
      scope.depth + 1,
      body.span,
      accumulator,
      false,
    );
  };

  if (node.operator === 'map' || node.operator === 'filter') {
    const outcome = await runConcurrent(
      items.length,
      run.limits.concurrency,
      async (i) => {
        const v = await element(items[i] as RillValue, acc);
        if (node.operator === 'filter') asBool(v, body.span);
        return v;
      },
      (thrown) => thrown instanceof BreakSignal,
    );
    if (outcome.stopAt < items.length && !(outcome.stop instanceof BreakSignal)) throw outcome.stop;
    if (node.operator === 'map')
      return newList(run, outcome.results.slice(0, outcome.stopAt), node.span);
    const kept: RillValue[] = [];
    for (let i = 0; i < outcome.stopAt; i++)
      if (outcome.results[i] === true) kept.push(items[i] as RillValue);
    return newList(run, kept, node.span);
  }

  const results: RillValue[] = [];
  try {
    for (let i = 0; i < items.length; i++) {
      const v = await element(items[i] as RillValue, acc);
      if (node.init !== undefined) acc = v;
      results.push(v);
    }
  } catch (thrown) {
    if (!(thrown instanceof BreakSignal)) throw thrown;
  }
  return node.operator === 'fold' ? (acc as RillValue) : newList(run, results, node.span);
}
