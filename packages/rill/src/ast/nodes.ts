/**
 * The plain AST the parser produces and the runtime evaluates. No chevrotain types appear
 * here: the runtime depends on this file only. Every node is readonly and carries a `span`.
 *
 * Semantics notes for the evaluator live next to each node.
 */
import type { RillTypeName, SourceInfo, SourceSpan } from '@rillkit/core';

interface BaseNode {
  readonly span: SourceSpan;
}

/** A whole script. Its result is the value of the last statement (`""` when empty). */
export interface ScriptNode extends BaseNode {
  readonly type: 'Script';
  readonly statements: readonly ExpressionNode[];
  readonly source: SourceInfo;
}

// ---------------------------------------------------------------- literals

/** `"..."` or `"""..."""`: literal text parts and interpolated expressions, in order. */
export interface StringNode extends BaseNode {
  readonly type: 'String';
  /** Plain strings are literal text (escapes already resolved); nodes are `{expr}` parts. */
  readonly parts: readonly (string | ExpressionNode)[];
}

export interface NumberNode extends BaseNode {
  readonly type: 'Number';
  readonly value: number;
}

export interface BoolNode extends BaseNode {
  readonly type: 'Bool';
  readonly value: boolean;
}

/** `[1, 2]`, `list[1, 2]`, `[]`. */
export interface ListNode extends BaseNode {
  readonly type: 'List';
  readonly elements: readonly ExpressionNode[];
}

export interface DictEntryNode extends BaseNode {
  readonly type: 'DictEntry';
  readonly key: string;
  readonly value: ExpressionNode;
}

/** `[a: 1, "b c": 2]`, `dict[a: 1]`, `[:]`. Keys are unique (checked by the parser). */
export interface DictNode extends BaseNode {
  readonly type: 'Dict';
  readonly entries: readonly DictEntryNode[];
}

/** One declared closure parameter: `x`, `x: number`, `x = 2`, `x: number = 2`. */
export interface ParamNode extends BaseNode {
  readonly type: 'Param';
  readonly name: string;
  /** Declared type; undefined means any. Arguments are checked against it. */
  readonly typeName: RillTypeName | undefined;
  /** Default, evaluated in the closure's defining scope when the argument is omitted. */
  readonly default: ExpressionNode | undefined;
}

/**
 * `|x, y = 10| body`. Evaluates to a closure value capturing the current scope.
 * When invoked, params are bound in a child scope of the defining scope, and `$` inside the
 * body is the first argument (or the defining scope's `$` when called with no arguments).
 */
export interface ClosureNode extends BaseNode {
  readonly type: 'Closure';
  readonly params: readonly ParamNode[];
  readonly body: ExpressionNode;
}

/**
 * `{ stmt; stmt }`. Runs its statements in a child scope and yields the last one's value
 * (`""` when empty).
 * - As a pipe target, conditional branch, loop body or collection-operator body it runs
 *   directly with the current `$`.
 * - Anywhere else (statement, list element, argument, capture source) it is a closure
 *   value with no declared params that binds `$` to its one optional argument.
 */
export interface BlockNode extends BaseNode {
  readonly type: 'Block';
  readonly statements: readonly ExpressionNode[];
}

// ---------------------------------------------------------------- variables

/** `$name`. Reading an unbound name is `EVAL_UNDEFINED_VARIABLE`. */
export interface VariableNode extends BaseNode {
  readonly type: 'Variable';
  readonly name: string;
}

/**
 * `$`, the pipe value. `implicit` marks a `$` the parser inserted as the receiver of a
 * pipe-target shorthand such as `-> .upper` (its span is the shorthand's).
 */
export interface PipeValueNode extends BaseNode {
  readonly type: 'PipeValue';
  readonly implicit: boolean;
}

/** `$@`, the accumulator inside `fold(init)` and `each(init)` bodies. */
export interface AccumulatorNode extends BaseNode {
  readonly type: 'Accumulator';
}

// ---------------------------------------------------------------- operators

export type UnaryOperator = '!' | '-';

export interface UnaryNode extends BaseNode {
  readonly type: 'Unary';
  readonly operator: UnaryOperator;
  readonly operand: ExpressionNode;
}

export type BinaryOperator =
  | '*' | '/' | '%'
  | '+' | '-'
  | '<' | '>' | '<=' | '>='
  | '==' | '!='
  | '&&' | '||'
  | '??';

/**
 * Binary operators. `&&`/`||` short-circuit; `??` evaluates `right` only when `left` fails
 * with `EVAL_MISSING_FIELD` or `EVAL_INDEX_OUT_OF_RANGE` (any other error propagates).
 */
export interface BinaryNode extends BaseNode {
  readonly type: 'Binary';
  readonly operator: BinaryOperator;
  readonly left: ExpressionNode;
  readonly right: ExpressionNode;
}

/**
 * `cond ? then ! else`. `condition` undefined is the piped form (`$v -> ? a ! b`), which
 * tests `$`. A missing else yields `""`. The condition must be a bool.
 */
export interface ConditionalNode extends BaseNode {
  readonly type: 'Conditional';
  readonly condition: ExpressionNode | undefined;
  readonly then: ExpressionNode;
  readonly else: ExpressionNode | undefined;
}

// ---------------------------------------------------------------- postfix

/**
 * `obj.name` without parentheses. On a dict that has the field, yields the field.
 * Otherwise, when a built-in method `name` exists for the receiver's type, calls it with no
 * arguments (so `.len`, `.keys`, `.upper` work on any receiver). Otherwise a dict gives
 * `EVAL_MISSING_FIELD` and other types `EVAL_UNKNOWN_METHOD`.
 */
export interface MemberNode extends BaseNode {
  readonly type: 'Member';
  readonly object: ExpressionNode;
  readonly name: string;
}

/** `obj.?name`: true when `obj` is a dict with field `name`, else false. Never errors. */
export interface ExistsNode extends BaseNode {
  readonly type: 'Exists';
  readonly object: ExpressionNode;
  readonly name: string;
}

/** `obj[i]`: list/string index (negative counts from the end) or dict key (string). */
export interface IndexNode extends BaseNode {
  readonly type: 'Index';
  readonly object: ExpressionNode;
  readonly index: ExpressionNode;
}

/** `obj.name(args)`: always a built-in method call. */
export interface MethodCallNode extends BaseNode {
  readonly type: 'MethodCall';
  readonly object: ExpressionNode;
  readonly name: string;
  readonly args: readonly ExpressionNode[];
}

/** `obj:>type` conversion. */
export interface ConvertNode extends BaseNode {
  readonly type: 'Convert';
  readonly object: ExpressionNode;
  readonly target: RillTypeName;
}

/** `obj:type` assertion (halts with `EVAL_TYPE_ASSERTION`), yields `obj` unchanged. */
export interface TypeAssertNode extends BaseNode {
  readonly type: 'TypeAssert';
  readonly object: ExpressionNode;
  readonly target: RillTypeName;
}

/** `obj:?type`: bool. */
export interface TypeCheckNode extends BaseNode {
  readonly type: 'TypeCheck';
  readonly object: ExpressionNode;
  readonly target: RillTypeName;
}

// ---------------------------------------------------------------- calls

/**
 * A call of a named function: `name(args)`, `ns::name(args)`, or bare `name` / `ns::name`.
 * Built-in functions (`log json parse_json range type`) are looked up first, then host
 * functions. Argument rules:
 * - `hasParens: false` (bare): called with `$` as its single argument.
 * - `hasParens: true` with no args, inside a pipe, when the function has at least one
 *   required parameter: receives `$` as its first argument.
 * - otherwise exactly the given arguments (no `$` insertion).
 */
export interface CallNode extends BaseNode {
  readonly type: 'Call';
  /** Full name including namespaces, e.g. `kv::get`. */
  readonly name: string;
  readonly args: readonly ExpressionNode[];
  readonly hasParens: boolean;
}

/**
 * A call of a closure value: `$fn(args)`, or `$fn` as a bare pipe target / collection body
 * (`hasParens: false`, called with `$`). A non-closure callee is `EVAL_NOT_CALLABLE`.
 */
export interface InvokeNode extends BaseNode {
  readonly type: 'Invoke';
  readonly callee: ExpressionNode;
  readonly args: readonly ExpressionNode[];
  readonly hasParens: boolean;
}

// ---------------------------------------------------------------- pipes

/**
 * `-> target`: evaluate `target` with `$` bound to the incoming value. A `Block` target runs
 * directly; a `Closure` literal target is invoked with `$` as its argument.
 */
export interface PipeStepNode extends BaseNode {
  readonly type: 'PipeStep';
  readonly target: ExpressionNode;
}

/** `=> $name`: bind the incoming value to `$name` in the current scope and pass it on. */
export interface CaptureStepNode extends BaseNode {
  readonly type: 'CaptureStep';
  readonly name: string;
}

/** `head -> a -> b => $c`: steps run left to right, each seeing the previous value as `$`. */
export interface PipeNode extends BaseNode {
  readonly type: 'Pipe';
  readonly head: ExpressionNode;
  readonly steps: readonly (PipeStepNode | CaptureStepNode)[];
}

// ---------------------------------------------------------------- control flow

/**
 * `init -> (cond) @ body`: while `cond` (evaluated with `$` = current value) is true, the
 * body's result becomes the next `$`. Yields the final `$`. Only valid as a pipe target.
 */
export interface WhileNode extends BaseNode {
  readonly type: 'While';
  readonly condition: ExpressionNode;
  readonly body: ExpressionNode;
}

/**
 * `init -> @ body ? (cond)`: run the body, then continue while `cond` is true. Without a
 * condition it loops until `break` (or the iteration limit). Only valid as a pipe target.
 */
export interface DoWhileNode extends BaseNode {
  readonly type: 'DoWhile';
  readonly body: ExpressionNode;
  readonly condition: ExpressionNode | undefined;
}

export type CollectionOperator = 'each' | 'map' | 'filter' | 'fold';

/**
 * `list -> each BODY`, `map BODY`, `filter BODY`, `fold(init) BODY`, `each(init) BODY`.
 * The input is a list, a dict (yields `[key: k, value: v]` dicts) or a string (characters).
 * BODY is evaluated per element with `$` = element and, when `init` is given, `$@` = the
 * accumulator. A BODY that evaluates to a closure value (a closure literal or a `$fn`
 * variable) is invoked with the element. Only valid as a pipe target.
 */
export interface CollectionNode extends BaseNode {
  readonly type: 'Collection';
  readonly operator: CollectionOperator;
  /** Required for `fold`, optional for `each`, absent for `map` and `filter`. */
  readonly init: ExpressionNode | undefined;
  readonly body: ExpressionNode;
}

/**
 * `break` / `$v -> break`. `value` undefined means the current `$`. Leaves the innermost
 * loop (yielding the value) or collection operator (`each`/`map`/`filter` yield results so
 * far, `fold` the accumulator so far). Outside any loop: `EVAL_BREAK_OUTSIDE_LOOP`.
 */
export interface BreakNode extends BaseNode {
  readonly type: 'Break';
  readonly value: ExpressionNode | undefined;
}

/** `return` / `$v -> return`: leaves the innermost closure, or the script, with the value. */
export interface ReturnNode extends BaseNode {
  readonly type: 'Return';
  readonly value: ExpressionNode | undefined;
}

/** `assert cond` / `assert cond "message"`; yields `$` if bound, else `true`. */
export interface AssertNode extends BaseNode {
  readonly type: 'Assert';
  readonly condition: ExpressionNode;
  readonly message: ExpressionNode | undefined;
}

/** `error "message"` / `$v -> error`: halts with `EVAL_SCRIPT_ERROR`. */
export interface ErrorNode extends BaseNode {
  readonly type: 'Error';
  /** undefined means the current `$` (which must be a string). */
  readonly message: ExpressionNode | undefined;
}

export type ExpressionNode =
  | StringNode
  | NumberNode
  | BoolNode
  | ListNode
  | DictNode
  | ClosureNode
  | BlockNode
  | VariableNode
  | PipeValueNode
  | AccumulatorNode
  | UnaryNode
  | BinaryNode
  | ConditionalNode
  | MemberNode
  | ExistsNode
  | IndexNode
  | MethodCallNode
  | ConvertNode
  | TypeAssertNode
  | TypeCheckNode
  | CallNode
  | InvokeNode
  | PipeNode
  | WhileNode
  | DoWhileNode
  | CollectionNode
  | BreakNode
  | ReturnNode
  | AssertNode
  | ErrorNode;

export type AnyNode = ExpressionNode | ScriptNode | DictEntryNode | ParamNode | PipeStepNode | CaptureStepNode;
