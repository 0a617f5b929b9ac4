import picomatch from 'picomatch';
import { RillBackendError } from '../errors/rill-error.js';
import { fsError } from './fs-errors.js';
import { fsBaseName, normalizeFsPath } from './path-rules.js';

// POSIX semantics on every platform (paths are always `/`-separated here), and dot files are
// ordinary files: a mount admitting '*.md' admits '.notes.md', and '**/*' finds '.env'.
const OPTIONS = { dot: true, windows: false } as const;

/** Decides which file paths a mount admits (see `FsMountOptions.glob`). */
export interface FsGlobFilter {
  /** The glob as configured, or `undefined` when every file is admitted. */
  readonly glob: string | undefined;
  /** True when the file at canonical path `path` is admitted. */
  admits(path: string): boolean;
}

// Paths are relative to the root, so a glob written as '/x/*' or './x/*' means 'x/*'.
function stripRootPrefix(glob: string): string {
  let out = glob;
  for (;;) {
    if (out.startsWith('/')) out = out.slice(1);
    else if (out.startsWith('./')) out = out.slice(2);
    else return out;
  }
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function compile(glob: string): (path: string) => boolean {
  const matcher = picomatch(glob, OPTIONS);
  // picomatch compiles lazily for some inputs; force one match so a broken glob fails here.
  matcher('');
  return matcher;
}

/**
 * Compile a mount glob. A glob without `/` is matched against the file's base name, a glob
 * with `/` against the whole canonical path. A leading `/` or `./` is ignored.
 *
 * @throws `FS_INVALID_CONFIG` (with `details.field`) for an empty or unusable glob.
 * @example
 * createFsGlobFilter('*.{md,txt}', 'mounts.docs.glob').admits('notes/a.md') // true
 */
export function createFsGlobFilter(glob: string | undefined, field: string): FsGlobFilter {
  if (glob === undefined) return { glob: undefined, admits: () => true };
  const stripped = stripRootPrefix(glob);
  if (stripped === '' || hasControlCharacter(stripped)) {
    throw invalidGlob(field, 'must be a non-empty glob without control characters');
  }
  let matcher: (path: string) => boolean;
  try {
    matcher = compile(stripped);
  } catch (cause) {
    throw invalidGlob(field, `is not a usable glob (${(cause as Error).message})`, cause);
  }
  const byBaseName = !stripped.includes('/');
  return {
    glob,
    admits: (path) => matcher(byBaseName ? fsBaseName(path) : path),
  };
}

function invalidGlob(field: string, problem: string, cause?: unknown): RillBackendError {
  return new RillBackendError('FS_INVALID_CONFIG', `${field} ${problem}`, {
    details: { field },
    cause,
  });
}

/** A compiled `find` pattern. */
export interface FsFindPattern {
  /** True when the canonical file path matches the pattern. */
  matches(path: string): boolean;
  /**
   * The deepest folder every match lies under (`''` for the root): the part of the pattern
   * before its first glob character. Backends only need to walk below it.
   */
  readonly base: string;
}

/**
 * Compile a `find` pattern. The pattern is matched against whole canonical paths relative to
 * the mount root (picomatch syntax, dot files not special); a leading `/` or `./` is ignored.
 *
 * @throws `FS_INVALID_PATH` for an empty pattern or one with control characters.
 * @example
 * compileFindPattern('docs/**\/*.md').base // 'docs'
 */
export function compileFindPattern(pattern: string): FsFindPattern {
  const stripped = stripRootPrefix(pattern);
  if (stripped === '' || hasControlCharacter(stripped)) {
    throw fsError('FS_INVALID_PATH', pattern, {
      reason: 'a find pattern must be a non-empty glob without control characters',
      details: { pattern },
    });
  }
  let matcher: (path: string) => boolean;
  try {
    matcher = compile(stripped);
  } catch (cause) {
    throw fsError('FS_INVALID_PATH', pattern, {
      reason: 'not a usable glob',
      details: { pattern },
      cause,
    });
  }
  return { matches: matcher, base: findBase(stripped) };
}

function findBase(pattern: string): string {
  const state = picomatch.scan(pattern);
  if (state.negated) return '';
  // A pattern without glob characters names one file: walk its folder.
  const folder = state.isGlob
    ? state.base
    : state.base.slice(0, Math.max(0, state.base.lastIndexOf('/')));
  if (folder === '') return '';
  try {
    const base = normalizeFsPath(folder);
    // Only a plain folder path narrows the walk; anything the text rules rewrote ('..',
    // '.') could not match a canonical path anyway, so walk everything and let matching decide.
    return base === folder ? base : '';
  } catch {
    return '';
  }
}
