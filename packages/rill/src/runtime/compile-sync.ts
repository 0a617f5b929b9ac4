import type { RillValue, SourceSpan } from '@rillkit/core';
import type { BinaryNode, CallNode, ExpressionNode, StringNode } from '../ast/nodes.js';
import { exists, type Found, index, lookupIndex, lookupMember, member, MISSING } from './access.js';
import { BUILTIN_FUNCTIONS } from './builtins/functions.js';
import { callMethod } from './builtins/methods.js';
import { callArgs, checkArgs, unboundVariable } from './call-args.js';
import { ScriptClosure, type Slot, UNBOUND } from './closure.js';
import {
  compileBreak,
  compileCollection,
  compileConditional,
  compileDoWhile,
  compilePipe,
  compileReturn,
  compileWhile,
} from './compile-sync-flow.js';
import { chargedString, CLOSURE_BYTES, deeper, finishDict, newList } from './budget.js';
import { assertType, checkType, convert } from './conversions.js';
import { applyBinary, applyUnary, asBool } from './operators.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import type { Scope } from './scope.js';
import { assertion, scriptError, stringOf } from './statements.js';

// The synchronous evaluator. Every subtree the analysis marked sync (no host call, no
// invocation of a closure value: nothing that may await) is compiled once into a tree of
// JS closures and then evaluated by calling them — no promise, no per-node dispatch on
// `node.type` at run time, and no allocation beyond the values the script makes. The
// async evaluator (evaluate-async.ts) walks the remaining nodes and calls into these
// closures for sync subtrees. Both call the same semantic helpers (operators.ts,
// access.ts, conversions.ts, builtins/), so they cannot drift apart in meaning.

/** A compiled node: its value given the run, the scope, `$` and `$@`. */
export type SyncFn = (run: Run, scope: Scope, d: Slot, a: Slot) => RillValue;

const COMPILED = new WeakMap<ExpressionNode, SyncFn>();

/**
 * The compiled form of a sync node in value position (a Block or closure literal there
 * makes a closure value). Compiled on first use and kept with the node.
 */
export function compiled(node: ExpressionNode): SyncFn {
  let f = COMPILED.get(node);
  if (f === undefined) {
    f = compileNode(node);
    COMPILED.set(node, f);
  }
  return f;
}

/** Compile a list of nodes evaluated into a fresh array. */
export function compileList(
  nodes: readonly ExpressionNode[],
): (run: Run, scope: Scope, d: Slot, a: Slot) => RillValue[] {
  const fns = nodes.map(compiled);
  return (run, scope, d, a) => {
    const out = new Array<RillValue>(fns.length);
    for (let i = 0; i < fns.length; i++) out[i] = (fns[i] as SyncFn)(run, scope, d, a);
    return out;
  };
}

function compileNode(node: ExpressionNode): SyncFn {
  switch (node.type) {
    case 'Number':
    case 'Bool': {
      const value = node.value;
      return () => value;
    }
    case 'String':
      return compileString(node);
    case 'PipeValue':
      return compileDollar(node.span);
    case 'Accumulator': {
      const span = node.span;
      return (_run, _scope, _d, a) => (a !== UNBOUND ? a : unbound('$@', span));
    }
    case 'Variable': {
      const { name, span } = node;
      return (_run, scope) => scope.lookup(name) ?? unbound(name, span);
    }
    case 'List': {
      const list = compileList(node.elements);
      const span = node.span;
      return (run, scope, d, a) => newList(run, list(run, scope, d, a), span);
    }
    case 'Dict': {
      const keys = node.entries.map((e) => e.key);
      const values = node.entries.map((e) => compiled(e.value));
      return (run, scope, d, a) => {
        const out = new Map<string, RillValue>();
        let depth = 0;
        for (let i = 0; i < keys.length; i++) {
          const v = (values[i] as SyncFn)(run, scope, d, a);
          out.set(keys[i] as string, v);
          depth = deeper(depth, v);
        }
        return finishDict(run, out, depth, node.span);
      };
    }
    case 'Closure':
    case 'Block':
      return (run, scope, d, a) => {
        run.charge(CLOSURE_BYTES, node.span);
        return new ScriptClosure(node, scope, d, a, run.source);
      };
    case 'Unary': {
      const operand = compiled(node.operand);
      return (run, scope, d, a) => applyUnary(node, operand(run, scope, d, a));
    }
    case 'Binary':
      return compileBinary(node);
    case 'Conditional':
      return compileConditional(node);
    case 'Member': {
      const object = compiled(node.object);
      return (run, scope, d, a) => member(run, node, object(run, scope, d, a));
    }
    case 'Exists': {
      const object = compiled(node.object);
      return (run, scope, d, a) => exists(node, object(run, scope, d, a));
    }
    case 'Index': {
      const object = compiled(node.object);
      const key = compiled(node.index);
      return (run, scope, d, a) => index(node, object(run, scope, d, a), key(run, scope, d, a));
    }
    case 'MethodCall': {
      const object = compiled(node.object);
      const args = compileList(node.args);
      return (run, scope, d, a) =>
        callMethod(run, node.name, object(run, scope, d, a), args(run, scope, d, a), node.span);
    }
    case 'Convert': {
      const object = compiled(node.object);
      return (run, scope, d, a) => convert(run, node, object(run, scope, d, a));
    }
    case 'TypeAssert': {
      const object = compiled(node.object);
      return (run, scope, d, a) => assertType(node, object(run, scope, d, a));
    }
    case 'TypeCheck': {
      const object = compiled(node.object);
      return (run, scope, d, a) => checkType(node.target, object(run, scope, d, a));
    }
    case 'Call':
      return compileBuiltinCall(node);
    case 'Pipe':
      return compilePipe(node);
    case 'While':
      return compileWhile(node);
    case 'DoWhile':
      return compileDoWhile(node);
    case 'Collection':
      return compileCollection(node);
    case 'Break':
      return compileBreak(node);
    case 'Return':
      return compileReturn(node);
    case 'Assert': {
      const condition = compiled(node.condition);
      const message = node.message === undefined ? undefined : compiled(node.message);
      return (run, scope, d, a) => {
        const ok = asBool(condition(run, scope, d, a), node.condition.span);
        return assertion(
          run,
          node,
          ok,
          d,
          ok || message === undefined ? undefined : message(run, scope, d, a),
        );
      };
    }
    case 'Error': {
      const message =
        node.message === undefined ? compileDollar(node.span) : compiled(node.message);
      return (run, scope, d, a) => {
        throw scriptError(node, message(run, scope, d, a));
      };
    }
    case 'Invoke':
      // The analysis never marks an invocation of a closure value sync.
      throw runtimeError('EVAL_INTERNAL', 'closure invocation compiled as synchronous', node.span);
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

function unbound(name: string, span: SourceSpan): never {
  throw unboundVariable(name, span);
}

/** `$`, which must be bound. */
export function compileDollar(span: SourceSpan): SyncFn {
  return (_run, _scope, d) => (d !== UNBOUND ? d : unbound('$', span));
}

function compileString(node: StringNode): SyncFn {
  const parts = node.parts.map((p) => (typeof p === 'string' ? p : compiled(p)));
  const spans = node.parts.map((p) => (typeof p === 'string' ? node.span : p.span));
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const text = parts[0];
    return () => text;
  }
  return (run, scope, d, a) => {
    let text = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string | SyncFn;
      text += typeof p === 'string' ? p : stringOf(run, p(run, scope, d, a), spans[i]);
    }
    return chargedString(run, text, node.span);
  };
}

// The number-only operators' results, for the fast path below.
const NUMBER_OPS: Partial<Record<BinaryNode['operator'], (l: number, r: number) => RillValue>> = {
  '+': (l, r) => l + r,
  '-': (l, r) => l - r,
  '*': (l, r) => l * r,
  '<': (l, r) => l < r,
  '>': (l, r) => l > r,
  '<=': (l, r) => l <= r,
  '>=': (l, r) => l >= r,
};

// Arithmetic and comparison take an inline fast path for two numbers; everything else
// (errors included) goes through applyBinary, the one definition of the operators.
function compileBinary(node: BinaryNode): SyncFn {
  const L = compiled(node.left);
  const R = compiled(node.right);
  const ls = node.left.span;
  const rs = node.right.span;
  switch (node.operator) {
    case '&&':
      return (run, s, d, a) => asBool(L(run, s, d, a), ls) && asBool(R(run, s, d, a), rs);
    case '||':
      return (run, s, d, a) => asBool(L(run, s, d, a), ls) || asBool(R(run, s, d, a), rs);
    case '??': {
      const chain = compileChain(node.left);
      return (run, s, d, a) => {
        const v = chain(run, s, d, a);
        return v === MISSING ? R(run, s, d, a) : v;
      };
    }
    default: {
      const fast = NUMBER_OPS[node.operator];
      if (fast === undefined)
        return (run, s, d, a) => applyBinary(node, L(run, s, d, a), R(run, s, d, a));
      return (run, s, d, a) => {
        const l = L(run, s, d, a);
        const r = R(run, s, d, a);
        return typeof l === 'number' && typeof r === 'number'
          ? fast(l, r)
          : applyBinary(node, l, r);
      };
    }
  }
}

type ChainFn = (run: Run, scope: Scope, d: Slot, a: Slot) => Found;

/** The left side of `??`: its member/index chain reports absence as MISSING. */
function compileChain(node: ExpressionNode): ChainFn {
  if (node.type === 'Member') {
    const object = compileChain(node.object);
    return (run, s, d, a) => {
      const obj = object(run, s, d, a);
      return obj === MISSING ? MISSING : lookupMember(run, node, obj);
    };
  }
  if (node.type === 'Index') {
    const object = compileChain(node.object);
    const key = compiled(node.index);
    return (run, s, d, a) => {
      const obj = object(run, s, d, a);
      return obj === MISSING ? MISSING : lookupIndex(node, obj, key(run, s, d, a));
    };
  }
  return compiled(node);
}

function compileBuiltinCall(node: CallNode): SyncFn {
  const fn = BUILTIN_FUNCTIONS.get(node.name);
  if (fn === undefined)
    throw runtimeError(
      'EVAL_INTERNAL',
      `host call ${node.name} compiled as synchronous`,
      node.span,
    );
  const args = compileList(node.args);
  const takesDollar = fn.required > 0;
  return (run, s, d, a) => {
    const given = callArgs(node, args(run, s, d, a), d, takesDollar);
    return fn.call(
      run,
      checkArgs('EVAL', node.name, fn.params, fn.required, given, node.span),
      node.span,
    );
  };
}
