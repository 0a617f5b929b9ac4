import type { KvSchemaType } from '../contracts/kv.js';
import { RillError } from '../errors/rill-error.js';
import { fromHostValue } from '../values/from-host.js';
import { stringifyValue } from '../values/json.js';
import { typeOf } from '../values/type-of.js';
import type { RillValue } from '../values/types.js';
import { kvConfigError, kvError } from './kv-errors.js';
import { isValidKvKey } from './kv-keys.js';
import { isPlainObject } from './plain-object.js';

/** Every type a declared key can have. */
export const KV_SCHEMA_TYPES: readonly KvSchemaType[] = Object.freeze([
  'string',
  'number',
  'bool',
  'list',
  'dict',
]);

/** One validated schema entry. */
export interface ResolvedKvField {
  readonly type: KvSchemaType;
  /** The value the key has while nothing is stored. */
  readonly default: RillValue;
  /** `''` when none was given. */
  readonly description: string;
}

/** A validated schema, in declaration order. */
export type ResolvedKvSchema = ReadonlyMap<string, ResolvedKvField>;

/** The default of a declared key that names none. */
export function kvZeroValue(type: KvSchemaType): RillValue {
  switch (type) {
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'bool':
      return false;
    case 'list':
      return Object.freeze([]);
    case 'dict':
      return new Map();
  }
}

const FIELD_OPTIONS = new Set(['type', 'default', 'description']);

/**
 * Validate a mount's `schema` option.
 * @param field the option path for error messages, e.g. `mounts.user.schema`.
 * @throws `KV_INVALID_CONFIG` naming the bad entry: a key that is not a valid kv key, an
 *   entry that is not an object, an unknown entry option, a type outside
 *   `string number bool list dict`, a default of another type (or with no JSON form), a
 *   non-string description.
 */
export function resolveKvSchema(raw: unknown, field: string): ResolvedKvSchema {
  if (!isPlainObject(raw))
    throw kvConfigError(field, 'must be an object of { key: { type, default?, description? } }');
  const out = new Map<string, ResolvedKvField>();
  for (const [key, spec] of Object.entries(raw)) {
    const at = `${field}.${key}`;
    if (!isValidKvKey(key))
      throw kvConfigError(
        at,
        'is not a valid key (non-empty, at most 1,024 UTF-8 bytes, valid Unicode)',
      );
    if (!isPlainObject(spec))
      throw kvConfigError(at, 'must be an object { type, default?, description? }');
    for (const name of Object.keys(spec)) {
      if (!FIELD_OPTIONS.has(name))
        throw kvConfigError(`${at}.${name}`, 'is not a schema option (type, default, description)');
    }
    const type = spec['type'];
    if (typeof type !== 'string' || !(KV_SCHEMA_TYPES as readonly string[]).includes(type)) {
      throw kvConfigError(`${at}.type`, `must be one of ${KV_SCHEMA_TYPES.join(', ')}`);
    }
    const kvType = type as KvSchemaType;
    let value: RillValue = kvZeroValue(kvType);
    if (spec['default'] !== undefined) {
      try {
        value = fromHostValue(spec['default'], `${at}.default`);
      } catch (cause) {
        throw kvConfigError(
          `${at}.default`,
          RillError.is(cause) ? cause.message : 'is not a rill value',
          cause,
        );
      }
      if (typeOf(value) !== kvType)
        throw kvConfigError(`${at}.default`, `must be a ${kvType}, not a ${typeOf(value)}`);
      try {
        stringifyValue(value);
      } catch (cause) {
        throw kvConfigError(
          `${at}.default`,
          'has no JSON form (it holds a closure or a non-finite number)',
          cause,
        );
      }
    }
    const description = spec['description'];
    if (description !== undefined && typeof description !== 'string') {
      throw kvConfigError(`${at}.description`, 'must be a string');
    }
    out.set(key, { type: kvType, default: value, description: description ?? '' });
  }
  return out;
}

/**
 * The declaration of `key`, for declared mode.
 * @throws `KV_UNDECLARED_KEY` when the schema does not declare `key`.
 */
export function declaredKvField(
  schema: ResolvedKvSchema,
  key: string,
  mount: string,
): ResolvedKvField {
  const spec = schema.get(key);
  if (spec === undefined)
    throw kvError(
      'KV_UNDECLARED_KEY',
      `key "${key}" is not declared in the schema of mount "${mount}"`,
      { mount, key },
    );
  return spec;
}

/**
 * Check a value against a declared type.
 * @throws `KV_TYPE_MISMATCH` with `details.expected` / `details.actual`.
 */
export function assertKvType(
  spec: ResolvedKvField,
  value: RillValue,
  mount: string,
  key: string,
): void {
  const actual = typeOf(value);
  if (actual !== spec.type) {
    throw kvError('KV_TYPE_MISMATCH', `key "${key}" is declared ${spec.type}, not ${actual}`, {
      mount,
      key,
      expected: spec.type,
      actual,
    });
  }
}
