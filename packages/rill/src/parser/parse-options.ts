/**
 * The options of `parse`, their defaults and their validation. Checked the way
 * `createRuntimeContext` checks its own: an unknown key, a wrong type or `null` is
 * `HOST_INVALID_DEFINITION` naming the option, never a silent default (docs/ref-host-api.md).
 */
import { RillError } from '@rillkit/core';

/** Options for `parse`. */
export interface ParseOptions {
  /** Name of the script in error locations, e.g. a file path. Defaults to `'<script>'`. */
  readonly name?: string;
  /**
   * Longest source accepted, in UTF-16 code units (JavaScript string length), a positive
   * integer. Longer text is refused with `PARSE_TOO_LARGE` before any lexing. Defaults to
   * {@link DEFAULT_PARSE_LIMITS}`.maxLength` (16 MiB).
   */
  readonly maxLength?: number;
  /**
   * Most syntax nodes (AST objects with a `type`, the `Script` node included) accepted, a
   * positive integer. A script that needs more is refused with `PARSE_TOO_LARGE`, from the
   * token count alone when that already proves it, otherwise while the AST is built.
   * Defaults to {@link DEFAULT_PARSE_LIMITS}`.maxNodes` (500,000).
   */
  readonly maxNodes?: number;
}

/** `parse` options after validation, defaults filled in. */
export interface ResolvedParseOptions {
  readonly name: string;
  readonly maxLength: number;
  readonly maxNodes: number;
}

/**
 * Default limits of `parse`.
 *
 * - `maxLength`: 16 MiB of UTF-16 code units. Above the 10 MB a host may legitimately feed
 *   (generated configuration, bundled scripts) and a power of two, yet bounded so that a
 *   runaway input is refused before it is even lexed.
 * - `maxNodes`: 500,000 nodes, 2.5 times the largest script we expect to meet (200,000
 *   nodes; ordinary rill has about one node per 9 characters, so some 1.8 MB of code).
 *   That many nodes parse in a few seconds and a few hundred MB; a 2 MB script of a
 *   million one-number lines is refused right after lexing, well under a second, instead
 *   of being parsed for several (docs/ref-host-api.md).
 */
export const DEFAULT_PARSE_LIMITS: Readonly<{ maxLength: number; maxNodes: number }> =
  Object.freeze({
    maxLength: 16 * 1024 * 1024,
    maxNodes: 500_000,
  });

const DEFAULT_NAME = '<script>';

const OPTION_KEYS: readonly (keyof ParseOptions)[] = ['name', 'maxLength', 'maxNodes'];

function invalid(message: string, details: Record<string, unknown>): RillError {
  return new RillError('HOST_INVALID_DEFINITION', message, { details });
}

function checkLimit(key: 'maxLength' | 'maxNodes', value: unknown): number {
  if (value === undefined) return DEFAULT_PARSE_LIMITS[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid(`${key} must be a positive integer`, { option: key, value: String(value) });
  }
  return value;
}

/**
 * Validates `parse` options and fills in defaults.
 *
 * @throws RillError `HOST_INVALID_DEFINITION` (details `option`, and `value` for a bad limit)
 *   for options that are not an object, an unknown key, a `name` that is not a string, or a
 *   limit that is not a positive safe integer.
 */
export function resolveParseOptions(options: unknown): ResolvedParseOptions {
  if (options === undefined) return { name: DEFAULT_NAME, ...DEFAULT_PARSE_LIMITS };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('parse takes an options object', { option: '' });
  }
  // A misspelt limit (`maxNode`, `maxlength`) would otherwise leave the default in force.
  for (const key of Object.keys(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw invalid(`unknown option ${key} (known: ${OPTION_KEYS.join(', ')})`, { option: key });
    }
  }
  const given = options as Record<string, unknown>;
  const name = given['name'];
  if (name !== undefined && typeof name !== 'string') {
    throw invalid('name must be a string', { option: 'name', value: String(name) });
  }
  return {
    name: name ?? DEFAULT_NAME,
    maxLength: checkLimit('maxLength', given['maxLength']),
    maxNodes: checkLimit('maxNodes', given['maxNodes']),
  };
}
