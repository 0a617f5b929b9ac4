import type { ExpressionNode, ScriptNode } from '../ast/nodes.js';
import { BUILTIN_FUNCTION_NAMES } from './builtins/functions.js';

// Facts computed once per script (nodes are immutable, so they never go stale):
// - SYNC: evaluating the node (running the statements, for a Block) can never await — it
//   contains no host call, no closure invocation through a value, nothing else that may
//   suspend. Such subtrees run on the synchronous evaluator without a single promise.
// - CAPTURES: the node contains a `=> $name` that binds in the scope the node runs in, so
//   a body with it needs a fresh child scope; bodies without captures reuse their parent's.
const SYNC = new WeakSet<object>();
const CAPTURES = new WeakSet<object>();
const ANALYZED = new WeakSet<ScriptNode>();

const SYNC_BIT = 1;
const CAPTURE_BIT = 2;

/** True when `node` can be evaluated without awaiting. Valid after {@link analyzeScript}. */
export function isSync(node: object): boolean {
  return SYNC.has(node);
}

/** True when closures of this literal can be invoked without awaiting (body and defaults sync). */
export function canInvokeSync(
  node: Extract<ExpressionNode, { type: 'Closure' | 'Block' }>,
): boolean {
  return node.type === 'Block' ? SYNC.has(node) : closureCallSync(node);
}

/** True when running `node` as a body binds names in its scope. */
export function hasCaptures(node: object): boolean {
  return CAPTURES.has(node);
}

/** Analyse a script once; later calls for the same script return at once. */
export function analyzeScript(script: ScriptNode): void {
  if (ANALYZED.has(script)) return;
  if (all(script.statements, valuePos) & SYNC_BIT) SYNC.add(script);
  ANALYZED.add(script);
}

function record(node: object, bits: number): number {
  if (bits & SYNC_BIT) SYNC.add(node);
  if (bits & CAPTURE_BIT) CAPTURES.add(node);
  return bits;
}

/** Combine children: sync only when all are, captures when any has. */
function all(
  nodes: readonly (ExpressionNode | undefined)[],
  f: (n: ExpressionNode) => number,
): number {
  let bits = SYNC_BIT;
  for (const n of nodes) {
    if (n === undefined) continue;
    const b = f(n);
    bits = (bits & b & SYNC_BIT) | ((bits | b) & CAPTURE_BIT);
  }
  return bits;
}

// A Block or closure literal in value position only creates a closure: always sync, and
// its captures belong to its own scope.
function valuePos(node: ExpressionNode): number {
  const bits = analyze(node);
  return node.type === 'Block' || node.type === 'Closure' ? SYNC_BIT : bits;
}

// Bodies that run directly (branches, loop bodies): a Block runs in its own child scope.
function bodyPos(node: ExpressionNode): number {
  const bits = analyze(node);
  if (node.type === 'Closure') return SYNC_BIT;
  return node.type === 'Block' ? bits & SYNC_BIT : bits;
}

// Pipe targets and collection bodies additionally invoke a closure literal on the spot.
function invokedPos(node: ExpressionNode): number {
  if (node.type !== 'Closure') return bodyPos(node);
  analyze(node);
  return closureCallSync(node) ? SYNC_BIT : 0;
}

function closureCallSync(node: Extract<ExpressionNode, { type: 'Closure' }>): boolean {
  return (
    SYNC.has(node.body) && node.params.every((p) => p.default === undefined || SYNC.has(p.default))
  );
}

function analyze(node: ExpressionNode): number {
  return record(node, bitsOf(node));
}

function bitsOf(node: ExpressionNode): number {
  switch (node.type) {
    case 'Number':
    case 'Bool':
    case 'Variable':
    case 'PipeValue':
    case 'Accumulator':
      return SYNC_BIT;
    case 'String':
      return all(
        node.parts.filter((p): p is ExpressionNode => typeof p !== 'string'),
        valuePos,
      );
    case 'List':
      return all(node.elements, valuePos);
    case 'Dict':
      return all(
        node.entries.map((e) => e.value),
        valuePos,
      );
    case 'Closure':
      for (const p of node.params) if (p.default !== undefined) valuePos(p.default);
      analyze(node.body);
      return SYNC_BIT;
    case 'Block':
      return all(node.statements, valuePos);
    case 'Unary':
      return valuePos(node.operand);
    case 'Binary':
      return all([node.left, node.right], valuePos);
    case 'Conditional':
      return combine(all([node.condition], valuePos), all([node.then, node.else], bodyPos));
    case 'Member':
    case 'Exists':
    case 'Convert':
    case 'TypeAssert':
    case 'TypeCheck':
      return valuePos(node.object);
    case 'Index':
      return all([node.object, node.index], valuePos);
    case 'MethodCall':
      return all([node.object, ...node.args], valuePos);
    case 'Call': {
      const bits = all(node.args, valuePos);
      return BUILTIN_FUNCTION_NAMES.has(node.name) ? bits : bits & CAPTURE_BIT;
    }
    case 'Invoke':
      return all([node.callee, ...node.args], valuePos) & CAPTURE_BIT;
    case 'Pipe': {
      let bits = valuePos(node.head);
      for (const step of node.steps) {
        if (step.type === 'CaptureStep') bits |= CAPTURE_BIT;
        else bits = combine(bits, invokedPos(step.target));
      }
      return bits;
    }
    case 'While':
      return combine(valuePos(node.condition), bodyPos(node.body));
    case 'DoWhile':
      return combine(bodyPos(node.body), all([node.condition], valuePos));
    case 'Collection': {
      const init = all([node.init], valuePos);
      // A `$fn` body may hold a closure that gets invoked: that may await.
      const body = node.body.type === 'Variable' ? (analyze(node.body), 0) : invokedPos(node.body);
      return combine(init, body);
    }
    case 'Break':
    case 'Return':
      return all([node.value], valuePos);
    case 'Error':
      return all([node.message], valuePos);
    case 'Assert':
      return all([node.condition, node.message], valuePos);
    default: {
      const never: never = node;
      throw new Error(`unknown node ${(never as { type: string }).type}`);
    }
  }
}

function combine(a: number, b: number): number {
  return (a & b & SYNC_BIT) | ((a | b) & CAPTURE_BIT);
}
