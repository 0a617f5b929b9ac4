import {
  CLOSURE_BRAND,
  type RillClosure,
  type RillDict,
  type RillList,
  type RillTypeName,
  type RillValue,
  TYPE_NAMES,
} from './types.js';

/** True when `v` is a closure value. */
export function isClosure(v: unknown): v is RillClosure {
  return (
    typeof v === 'object' && v !== null && (v as Record<symbol, unknown>)[CLOSURE_BRAND] === true
  );
}

/** True when `v` is a dict value. */
export function isDict(v: unknown): v is RillDict {
  return v instanceof Map;
}

/** True when `v` is a list value. */
export function isList(v: unknown): v is RillList {
  return Array.isArray(v);
}

/** The rill type name of a value. */
export function typeOf(v: RillValue): Exclude<RillTypeName, 'any'> {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'bool';
    default:
      if (Array.isArray(v)) return 'list';
      if (v instanceof Map) return 'dict';
      return 'closure';
  }
}

/** True when `v` has type `type` (`any` matches everything). */
export function hasType(v: RillValue, type: RillTypeName): boolean {
  return type === 'any' || typeOf(v) === type;
}

/** True when `name` is one of rill's type names. */
export function isTypeName(name: string): name is RillTypeName {
  return (TYPE_NAMES as readonly string[]).includes(name);
}
