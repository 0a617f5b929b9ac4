import { type ExtensionResult, RillError, isPlainObject } from '@rillkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** One option of a factory, by its dotted path, and which values it accepts. */
export interface OptionFieldSpec {
  /** Dotted path: `'busyTimeout'` at the top level, `'mounts.a.mode'` inside mount `a`. */
  readonly path: string;
  /**
   * Whether the factory must accept `value` here. `undefined` means "left out": valid for
   * an optional option, invalid for a required one. Must never say yes to `null`
   * unless `null` really is a value of the option.
   */
  isValid(value: unknown): boolean;
  /** Values to try here besides the shared hostile pool (valid ones, near misses). */
  readonly samples?: readonly unknown[];
}

/** A factory under test and the table the property draws from. */
export interface OptionsFailClosedSpec {
  /** Names the `describe` block, e.g. `'createSqliteKvExtension'`. */
  readonly name: string;
  /** The code every config error must carry. */
  readonly code: 'KV_INVALID_CONFIG' | 'FS_INVALID_CONFIG';
  /** A fresh valid options object (the factory must accept it). */
  valid(): Record<string, unknown>;
  /** The options one at a time replaced by a hostile value. */
  readonly fields: readonly OptionFieldSpec[];
  /**
   * Paths of the objects whose keys are a closed set (`''` = the top level, `'mounts.a'`);
   * an added key there must be refused, named `<path>.<key>`.
   */
  readonly closedObjects: readonly string[];
  /** Calls the factory. */
  create(options: unknown): ExtensionResult;
  /** Runs per property; default 200. */
  readonly numRuns?: number;
}

/**
 * Values no option should take for granted: `null`, `undefined`, non-finite, negative,
 * fractional, unsafe and huge numbers, empty and odd strings, booleans, arrays, objects and
 * a function. Which of them a field accepts is up to its `isValid`.
 */
export const HOSTILE_OPTION_VALUES: readonly unknown[] = Object.freeze([
  null,
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  -1,
  0,
  1,
  1.5,
  2 ** 53,
  1e300,
  '',
  '7',
  ' ',
  true,
  false,
  [],
  ['read'],
  {},
  () => 1,
]);

/** A copy of `options` with the value at `path` set to `value` (the key stays, even for `undefined`). */
export function withOption(
  options: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const parts = path.split('.');
  const last = parts.pop() as string;
  return withKey(options, parts.join('.'), last, value);
}

/** A copy of `options` with `key` (any text, dots included) set to `value` in the object at `at`. */
function withKey(
  options: Record<string, unknown>,
  at: string,
  key: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredCloneOptions(options);
  let target: Record<string, unknown> = copy;
  for (const part of at === '' ? [] : at.split('.')) {
    const next = target[part];
    if (!isPlainObject(next)) throw new Error(`test setup: ${at} is not inside the options`);
    target = next;
  }
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return copy;
}

// Option objects hold functions and clients, which structuredClone refuses: copy plain
// objects only, keep everything else by reference.
function structuredCloneOptions(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value))
    out[key] = isPlainObject(inner) ? structuredCloneOptions(inner) : inner;
  return out;
}

function showValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number' || value === undefined) return String(value);
  return JSON.stringify(value) ?? String(value);
}

async function expectOutcome(
  spec: OptionsFailClosedSpec,
  options: unknown,
  accept: boolean,
  field: string,
  exact: boolean,
): Promise<void> {
  let extension: ExtensionResult | undefined;
  let failure: unknown;
  try {
    extension = spec.create(options);
  } catch (error) {
    failure = error;
  }
  if (extension !== undefined) {
    await extension.dispose();
    expect(accept, `the factory accepted an invalid ${field}`).toBe(true);
    return;
  }
  if (!RillError.is(failure)) throw failure;
  expect(accept, `the factory refused a valid ${field}: ${failure.message}`).toBe(false);
  expect(failure.code).toBe(spec.code);
  const named = failure.details['field'];
  if (exact) expect(named).toBe(field);
  // A bad object may be named by its first bad member (`credentials.accessKeyId`).
  else
    expect(
      named === field || String(named).startsWith(`${field}.`),
      `details.field ${String(named)} does not name ${field}`,
    ).toBe(true);
}

/**
 * Property tests that a storage factory fails closed (docs/ref-storage.md, "Options fail
 * closed"): the valid options are accepted; each field, replaced by a value from
 * {@link HOSTILE_OPTION_VALUES} or its own samples, is accepted exactly when the field's
 * `isValid` says so (drawn at random, then every pair in turn) and otherwise refused with `spec.code` and `details.field` naming it;
 * an unknown key in any closed object is refused by name; a non-object is refused as
 * `options`.
 */
export function describeOptionsFailClosed(spec: OptionsFailClosedSpec): void {
  const numRuns = spec.numRuns ?? 200;
  describe(`${spec.name} options fail closed`, () => {
    it('accepts the valid options it starts from', async () => {
      await expectOutcome(spec, spec.valid(), true, 'options', true);
    });

    it('accepts or refuses each replaced field exactly as the field table says', async () => {
      const replacement = fc.constantFrom(...spec.fields).chain((field) =>
        fc.record({
          field: fc.constant(field),
          value: fc.constantFrom(...HOSTILE_OPTION_VALUES, ...(field.samples ?? [])),
        }),
      );
      await fc.assert(
        fc.asyncProperty(replacement, async ({ field, value }) => {
          const options = withOption(spec.valid(), field.path, value);
          await expectOutcome(spec, options, field.isValid(value), field.path, false);
        }),
        { numRuns },
      );
      // And every pair once, whatever the draws were: the outcome never depends on the seed.
      for (const field of spec.fields) {
        for (const value of [...HOSTILE_OPTION_VALUES, ...(field.samples ?? [])]) {
          const options = withOption(spec.valid(), field.path, value);
          await expectOutcome(spec, options, field.isValid(value), field.path, false).catch(
            (error: unknown) => {
              throw new Error(`${field.path} = ${showValue(value)}: ${String(error)}`);
            },
          );
        }
      }
    });

    it('refuses an unknown key in every closed object, naming it', async () => {
      const added = fc.record({
        at: fc.constantFrom(...spec.closedObjects),
        key: fc.string({ minLength: 1, maxLength: 8 }).map((s) => `unknown_${s}`),
        value: fc.constantFrom(...HOSTILE_OPTION_VALUES),
      });
      await fc.assert(
        fc.asyncProperty(added, async ({ at, key, value }) => {
          const path = at === '' ? key : `${at}.${key}`;
          const options = withKey(spec.valid(), at, key, value);
          await expectOutcome(spec, options, false, path, true);
        }),
        { numRuns },
      );
    });

    it('refuses options that are not a plain object, as options', async () => {
      for (const value of [null, undefined, 'x', 1, true, [], () => 1, new Map()]) {
        await expectOutcome(spec, value, false, 'options', true);
      }
    });
  });
}
