/**
 * The rill value model.
 *
 * - string, number (IEEE double) and bool map to the JS primitives.
 * - A list is a frozen JS array of values.
 * - A dict is a `Map<string, RillValue>`: keys are strings and insertion order is kept
 *   (a plain object would reorder integer-like keys).
 * - A closure is any object carrying the {@link CLOSURE_BRAND}; the interpreter owns the
 *   concrete class, hosts only pass closures around or invoke them through the call context.
 *
 * Values are immutable: nothing in rillkit mutates a list or dict after creating it.
 * There is no null/undefined value.
 */
export type RillValue = string | number | boolean | RillList | RillDict | RillClosure;

/** An ordered, immutable list of values. */
export type RillList = readonly RillValue[];

/** A dict: string keys in insertion order. Treat as read-only. */
export type RillDict = ReadonlyMap<string, RillValue>;

/** Brand carried by every closure value so type checks survive duplicate installs. */
export const CLOSURE_BRAND: unique symbol = Symbol.for('rillkit.closure') as never;

/** A declared closure or host function parameter, as the runtime describes it. */
export interface RillParam {
  /** Parameter name (without `$`). */
  readonly name: string;
  /** Declared type, or `any`. */
  readonly type: RillTypeName;
  /** Whether the parameter has a default and so may be omitted. */
  readonly hasDefault: boolean;
}

/** A first-class function value created by a script. Compared by identity. */
export interface RillClosure {
  readonly [CLOSURE_BRAND]: true;
  /** The declared parameters (a `{ ... }` block has none; it binds `$`). */
  readonly params: readonly RillParam[];
}

/** The names rill uses for its value types (`type(v)`, `:type`, `:>type`). */
export type RillTypeName = 'string' | 'number' | 'bool' | 'list' | 'dict' | 'closure' | 'any';

/** Every type name, in the order the docs list them. */
export const TYPE_NAMES: readonly RillTypeName[] = Object.freeze([
  'string',
  'number',
  'bool',
  'list',
  'dict',
  'closure',
  'any',
]);
