import type { KvLimits, KvWritePolicy } from '../contracts/kv.js';
import { HOST_FUNCTION_NAME } from '../host/host-function.js';
import { kvConfigError } from './kv-errors.js';
import {
  KV_DEFAULT_MAX_ENTRIES,
  KV_DEFAULT_MAX_STORE_SIZE,
  KV_DEFAULT_MAX_VALUE_SIZE,
} from './kv-limits.js';
import { type ResolvedKvSchema, resolveKvSchema } from './kv-schema.js';
import { isValidKvTtl } from './kv-ttl.js';
import { type AccessMode, ACCESS_MODES, DEFAULT_ACCESS_MODE, isAccessMode } from './modes.js';
import { isWholeNumberIn, optionOrDefault } from './option-values.js';
import { isPlainObject } from './plain-object.js';

/** The mount options core understands; every backend accepts these (docs/ref-storage.md). */
export const KV_COMMON_MOUNT_OPTIONS: readonly string[] = Object.freeze([
  'mode',
  'schema',
  'maxEntries',
  'maxValueSize',
  'maxStoreSize',
  'ttl',
  'writePolicy',
]);

/** Every write policy, in documentation order. */
export const KV_WRITE_POLICIES: readonly KvWritePolicy[] = Object.freeze(['immediate', 'dispose']);

/** Mount names: 1–64 characters of `A-Z a-z 0-9 _ . -`. */
export const KV_MOUNT_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** A mount's common options after validation, with defaults filled in. */
export interface ResolvedKvMount {
  readonly name: string;
  readonly mode: AccessMode;
  /** `undefined` in open mode. */
  readonly schema: ResolvedKvSchema | undefined;
  readonly maxEntries: number;
  readonly maxValueSize: number;
  readonly maxStoreSize: number;
  /** Default seconds-to-live; `undefined` = none. */
  readonly ttl: number | undefined;
  readonly writePolicy: KvWritePolicy;
  /** `maxEntries` and `maxStoreSize`, as backends receive them. */
  readonly limits: KvLimits;
}

/**
 * Reject option objects that are not plain objects or that hold unknown keys.
 * @param path the object's own path for messages (`''` for the top level).
 * @throws `KV_INVALID_CONFIG` naming the first unknown option.
 */
export function assertKnownKvOptions(
  value: unknown,
  allowed: readonly string[],
  path: string,
): asserts value is Record<string, unknown> {
  if (!isPlainObject(value))
    throw kvConfigError(path === '' ? 'options' : path, 'must be an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw kvConfigError(
        path === '' ? key : `${path}.${key}`,
        `is not an option here (known: ${allowed.join(', ')})`,
      );
    }
  }
}

/**
 * Validate the `namespace` option and return it (default `'kv'`).
 * @throws `KV_INVALID_CONFIG` (`namespace`) unless `<namespace>::get` is a valid host
 *   function name (identifiers joined by `::`).
 */
export function resolveKvNamespace(namespace: unknown): string {
  if (namespace === undefined) return 'kv';
  if (typeof namespace !== 'string' || !HOST_FUNCTION_NAME.test(`${namespace}::get`)) {
    throw kvConfigError(
      'namespace',
      'must be an identifier (letters, digits, _) or several joined by ::',
    );
  }
  return namespace;
}

/**
 * Validate one mount's common options and fill in defaults. Options named in
 * `backendOptions` are left for the backend factory to validate; any other unknown option
 * is rejected.
 *
 * An option is absent only when `undefined`: `null` is refused like any other bad value,
 * never read as the default (docs/ref-storage.md, "Options fail closed").
 *
 * @throws `KV_INVALID_CONFIG` naming the field (`mounts.<name>.<option>`): a bad mount
 *   name, a non-object, an unknown option, a mode outside `read write read-write`, a limit
 *   that is not a positive integer, a ttl that is not a positive number, a write policy
 *   outside `immediate dispose`, a bad schema.
 * @example resolveKvMountOptions('user', { ttl: 60 }, ['store']).ttl // 60
 */
export function resolveKvMountOptions(
  name: string,
  raw: unknown,
  backendOptions: readonly string[],
): ResolvedKvMount {
  const at = `mounts.${name}`;
  if (!KV_MOUNT_NAME.test(name))
    throw kvConfigError(at, 'a mount name is 1-64 characters of A-Z a-z 0-9 _ . -');
  assertKnownKvOptions(raw, [...KV_COMMON_MOUNT_OPTIONS, ...backendOptions], at);
  const mode = optionOrDefault(raw['mode'], DEFAULT_ACCESS_MODE);
  if (!isAccessMode(mode))
    throw kvConfigError(`${at}.mode`, `must be one of ${ACCESS_MODES.join(', ')}`);
  const maxEntries = positiveInteger(raw['maxEntries'], KV_DEFAULT_MAX_ENTRIES, `${at}.maxEntries`);
  const maxValueSize = positiveInteger(
    raw['maxValueSize'],
    KV_DEFAULT_MAX_VALUE_SIZE,
    `${at}.maxValueSize`,
  );
  const maxStoreSize = positiveInteger(
    raw['maxStoreSize'],
    KV_DEFAULT_MAX_STORE_SIZE,
    `${at}.maxStoreSize`,
  );
  const ttl = raw['ttl'];
  if (ttl !== undefined && !isValidKvTtl(ttl))
    throw kvConfigError(`${at}.ttl`, 'must be a positive number of seconds, at most 1e10');
  const writePolicy = optionOrDefault(raw['writePolicy'], 'immediate');
  if (
    typeof writePolicy !== 'string' ||
    !(KV_WRITE_POLICIES as readonly string[]).includes(writePolicy)
  ) {
    throw kvConfigError(`${at}.writePolicy`, `must be one of ${KV_WRITE_POLICIES.join(', ')}`);
  }
  const schema =
    raw['schema'] === undefined ? undefined : resolveKvSchema(raw['schema'], `${at}.schema`);
  return {
    name,
    mode,
    schema,
    maxEntries,
    maxValueSize,
    maxStoreSize,
    ttl,
    writePolicy: writePolicy as KvWritePolicy,
    limits: { maxEntries, maxStoreSize },
  };
}

function positiveInteger(value: unknown, fallback: number, field: string): number {
  const limit = optionOrDefault(value, fallback);
  if (!isWholeNumberIn(limit, 1, Number.MAX_SAFE_INTEGER))
    throw kvConfigError(field, 'must be a positive integer');
  return limit;
}
