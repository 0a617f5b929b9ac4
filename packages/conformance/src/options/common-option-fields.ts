import {
  ACCESS_MODES,
  HOST_FUNCTION_NAME,
  KV_SCHEMA_TYPES,
  MAX_KV_TTL_SECONDS,
  isPlainObject,
} from '@rillkit/core';
import type { OptionFieldSpec } from './describe-options-fail-closed.js';

const isAbsentOr =
  (check: (value: unknown) => boolean) =>
  (value: unknown): boolean =>
    value === undefined || check(value);

const isPositiveWhole = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;

const isMode = (value: unknown): boolean =>
  typeof value === 'string' && (ACCESS_MODES as readonly string[]).includes(value);

// The samples hold only schema shapes this predicate can judge: entries with a type alone.
const isSchema = (value: unknown): boolean =>
  isPlainObject(value) &&
  Object.values(value).every(
    (entry) =>
      isPlainObject(entry) &&
      Object.keys(entry).every((k) => k === 'type') &&
      (KV_SCHEMA_TYPES as readonly unknown[]).includes(entry['type']),
  );

/**
 * The options every kv mount has (docs/ref-storage.md), for mount `mount`.
 * @param writePolicies the write policies the backend supports.
 */
export function kvCommonMountFields(
  mount: string,
  writePolicies: readonly string[],
): OptionFieldSpec[] {
  const at = `mounts.${mount}`;
  return [
    { path: `${at}.mode`, isValid: isAbsentOr(isMode), samples: ['read', 'write', 'READ'] },
    {
      path: `${at}.writePolicy`,
      isValid: isAbsentOr((v) => typeof v === 'string' && writePolicies.includes(v)),
      samples: ['immediate', 'dispose', 'later'],
    },
    {
      path: `${at}.ttl`,
      isValid: isAbsentOr((v) => typeof v === 'number' && v > 0 && v <= MAX_KV_TTL_SECONDS),
      samples: [0.25, 3600, MAX_KV_TTL_SECONDS, MAX_KV_TTL_SECONDS * 10],
    },
    ...['maxEntries', 'maxValueSize', 'maxStoreSize'].map((name) => ({
      path: `${at}.${name}`,
      isValid: isAbsentOr(isPositiveWhole),
      samples: [1000, 2 ** 53 - 1],
    })),
    {
      path: `${at}.schema`,
      isValid: isAbsentOr(isSchema),
      samples: [{ k: { type: 'string' } }, { k: { type: 'text' } }, { k: null }],
    },
  ];
}

/** The top-level options every kv factory has: `namespace`, `now`, `mounts`. */
export function kvCommonTopFields(): OptionFieldSpec[] {
  return [
    {
      path: 'namespace',
      isValid: isAbsentOr((v) => typeof v === 'string' && HOST_FUNCTION_NAME.test(`${v}::get`)),
      samples: ['store', 'app::store', 'a:b', 'kv::'],
    },
    { path: 'now', isValid: isAbsentOr((v) => typeof v === 'function') },
    // Of the hostile values only `{}` is a plain object: a kv extension may have no mounts.
    { path: 'mounts', isValid: (v) => isPlainObject(v) && Object.keys(v).length === 0 },
  ];
}

/** The options every fs mount has (docs/ref-storage.md), for mount `mount`. */
export function fsCommonMountFields(mount: string): OptionFieldSpec[] {
  const at = `mounts.${mount}`;
  return [
    { path: `${at}.mode`, isValid: isAbsentOr(isMode), samples: ['read', 'write', 'READ'] },
    {
      path: `${at}.glob`,
      isValid: isAbsentOr((v) => typeof v === 'string' && v !== ''),
      samples: ['*.md', '**/*.{md,txt}'],
    },
    {
      path: `${at}.maxFileSize`,
      isValid: isAbsentOr(isPositiveWhole),
      samples: [1024, 2 ** 53 - 1],
    },
  ];
}

/** The top-level options every fs factory has: `namespace`, `mounts`. */
export function fsCommonTopFields(): OptionFieldSpec[] {
  return [
    {
      path: 'namespace',
      isValid: isAbsentOr((v) => typeof v === 'string' && HOST_FUNCTION_NAME.test(v)),
      samples: ['files', 'app::files', 'a:b'],
    },
    // An fs extension needs at least one mount, so no hostile value is valid here.
    { path: 'mounts', isValid: () => false },
  ];
}
