import type { FsBackend, FsEntryType, FsMountConfig } from '../contracts/fs.js';
import { canRead, canWrite } from './modes.js';
import { RillError } from '../errors/rill-error.js';
import { fsError, showFsPath, toFsError } from './fs-errors.js';
import { compileFindPattern, createFsGlobFilter, type FsGlobFilter } from './fs-glob.js';
import { fsBaseName, isValidFsName, joinFsPath, normalizeFsPath } from './path-rules.js';

/** One entry of `list`, after policy (filtered by the glob, sorted). */
export interface FsListEntry {
  /** The entry's name (one segment). */
  readonly name: string;
  /** `'file'` or `'directory'`. */
  readonly type: FsEntryType;
  /** Bytes for a file, `0` for a folder. */
  readonly size: number;
}

/** The result of `stat`, after policy: times as ISO-8601 text, `''` when unknown. */
export interface FsStatResult {
  /** The last path segment (`''` for the mount root). */
  readonly name: string;
  /** `'file'` or `'directory'`. */
  readonly type: FsEntryType;
  /** Bytes for a file, `0` for a folder. */
  readonly size: number;
  /** ISO-8601 (`2024-05-01T12:00:00.000Z`) or `''`. */
  readonly modified: string;
  /** ISO-8601 or `''`. */
  readonly created: string;
}

/**
 * One fs mount with its policy applied around a backend: modes, path rules, the mount glob,
 * `maxFileSize`, sorting, and error details. Every method takes paths exactly as a script
 * passed them. Errors are coded `FS_*` errors whose details carry `mount` and `path`
 * (`from`/`to` for copy and move).
 *
 * Check order, for every function: mode (`FS_READ_ONLY`/`FS_WRITE_ONLY`), then path rules
 * (`FS_INVALID_PATH`/`FS_PATH_ESCAPE`), then the glob (`FS_GLOB_DENIED`), then size limits,
 * then the backend.
 */
export interface FsMount {
  /** The validated configuration. */
  readonly config: FsMountConfig;
  /** The backend name shown by `mounts()` (e.g. `'local'`). */
  readonly backendName: string;
  /**
   * The file's UTF-8 text (invalid UTF-8 sequences become U+FFFD; a BOM is kept).
   * Errors: `FS_NOT_FOUND`, `FS_NOT_A_FILE`, `FS_GLOB_DENIED`, `FS_FILE_TOO_LARGE`.
   * @param memoryLeft the calling run's memory budget in bytes, when known: a file larger
   *   than it is refused with `LIMIT_MEMORY` (details `mount`, `path`, `size`, `memoryLeft`)
   *   before it is loaded (docs/ref-storage.md). A file over `maxFileSize` as well reports
   *   `FS_FILE_TOO_LARGE`.
   */
  read(path: string, memoryLeft?: number): Promise<string>;
  /** Replace the file atomically; returns the UTF-8 bytes written. `FS_FILE_TOO_LARGE` when over. */
  write(path: string, content: string): Promise<number>;
  /** Append (creating the file); returns the bytes appended. The resulting size is checked. */
  append(path: string, content: string): Promise<number>;
  /** Folder entries sorted by name (UTF-16 code units); files the glob refuses are omitted. */
  list(path: string): Promise<readonly FsListEntry[]>;
  /** File paths matching `pattern` and admitted by the glob, sorted by code unit. */
  find(pattern: string): Promise<readonly string[]>;
  /**
   * `false` only when nothing is there. Rule violations throw; so does an existing file the
   * glob does not admit (`FS_GLOB_DENIED`).
   */
  exists(path: string): Promise<boolean>;
  /** Remove a file or an empty folder; `false` when absent; the root cannot be removed. */
  remove(path: string): Promise<boolean>;
  /** Facts about a file or folder; `FS_NOT_FOUND` when absent. */
  stat(path: string): Promise<FsStatResult>;
  /** Create a folder and its parents; `false` when it already existed. */
  mkdir(path: string): Promise<boolean>;
  /** Copy a file onto `to` (replacing it). Folders are refused with `FS_NOT_A_FILE`. */
  copy(from: string, to: string): Promise<true>;
  /** Move a file onto `to` (replacing it). Folders are refused with `FS_NOT_A_FILE`. */
  move(from: string, to: string): Promise<true>;
}

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF, so write-then-read gives back exactly what was written.
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function isoTime(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return '';
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

function byName(a: FsListEntry, b: FsListEntry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Wrap `backend` with the policy of the mount described by `config`.
 *
 * @example
 * const mount = createFsMount(validateFsMountConfig('docs', { glob: '*.md' }, ['path']), backend, 'local');
 * await mount.write('/notes/a.md', '# hi'); // 4
 */
export function createFsMount(
  config: FsMountConfig,
  backend: FsBackend,
  backendName: string,
): FsMount {
  const filter: FsGlobFilter = createFsGlobFilter(config.glob, `mounts.${config.name}.glob`);
  const mountName = config.name;

  function requireRead(path: string): void {
    if (!canRead(config.mode)) throw toFsError(fsError('FS_WRITE_ONLY', path), mountName, path);
  }
  function requireWrite(path: string): void {
    if (!canWrite(config.mode)) throw toFsError(fsError('FS_READ_ONLY', path), mountName, path);
  }
  // The root is a folder on every backend; saying so beats a glob refusal of the name ''.
  function requireFilePath(canonical: string): void {
    if (canonical === '')
      throw fsError('FS_NOT_A_FILE', canonical, { reason: 'the mount root is a folder' });
  }
  function requireAdmitted(canonical: string): void {
    if (!filter.admits(canonical))
      throw fsError('FS_GLOB_DENIED', canonical, { details: { glob: config.glob } });
  }
  function requireFitting(canonical: string, bytes: number): void {
    if (bytes > config.maxFileSize) {
      throw fsError('FS_FILE_TOO_LARGE', canonical, {
        details: { size: bytes, maxFileSize: config.maxFileSize },
      });
    }
  }

  function overBudget(
    canonical: string,
    size: number | undefined,
    memoryLeft: number,
    cause: unknown,
  ): RillError {
    const shown = size === undefined ? 'larger than' : `${size} bytes, more than`;
    return new RillError(
      'LIMIT_MEMORY',
      `${showFsPath(canonical === '' ? '/' : canonical)} is ${shown} the ${memoryLeft} bytes of memory the run has left`,
      { details: { mount: mountName, path: canonical, size, memoryLeft }, cause },
    );
  }

  async function guarded<T>(
    path: string,
    extra: Record<string, unknown>,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toFsError(error, mountName, path, extra);
    }
  }

  return {
    config,
    backendName,

    read(path, memoryLeft) {
      return guarded(path, {}, async () => {
        requireRead(path);
        const canonical = normalizeFsPath(path);
        requireFilePath(canonical);
        requireAdmitted(canonical);
        // The backend refuses a file over the bound it is given without loading it; the
        // run's budget tightens that bound when it is the smaller one.
        const byBudget = memoryLeft !== undefined && memoryLeft < config.maxFileSize;
        const bound = byBudget ? Math.max(0, Math.floor(memoryLeft)) : config.maxFileSize;
        let bytes: Uint8Array;
        try {
          bytes = await backend.read(canonical, bound);
        } catch (error) {
          if (!byBudget || !RillError.is(error) || error.code !== 'FS_FILE_TOO_LARGE') throw error;
          const reported = error.details['size'];
          const size =
            typeof reported === 'number' ? reported : (await backend.stat(canonical))?.size;
          if (size !== undefined) requireFitting(canonical, size);
          throw overBudget(canonical, size, memoryLeft, error);
        }
        requireFitting(canonical, bytes.length);
        if (memoryLeft !== undefined && bytes.length > memoryLeft) {
          throw overBudget(canonical, bytes.length, memoryLeft, undefined);
        }
        return decoder.decode(bytes);
      });
    },

    write(path, content) {
      return guarded(path, {}, async () => {
        requireWrite(path);
        const canonical = normalizeFsPath(path);
        requireFilePath(canonical);
        requireAdmitted(canonical);
        const data = encoder.encode(content);
        requireFitting(canonical, data.length);
        await backend.write(canonical, data);
        return data.length;
      });
    },

    append(path, content) {
      return guarded(path, {}, async () => {
        requireWrite(path);
        const canonical = normalizeFsPath(path);
        requireFilePath(canonical);
        requireAdmitted(canonical);
        const data = encoder.encode(content);
        requireFitting(canonical, data.length);
        await backend.append(canonical, data, config.maxFileSize);
        return data.length;
      });
    },

    list(path) {
      return guarded(path, {}, async () => {
        requireRead(path);
        const canonical = normalizeFsPath(path);
        const entries = await backend.list(canonical);
        const out: FsListEntry[] = [];
        for (const e of entries) {
          if (!isValidFsName(e.name)) continue;
          if (e.type === 'file' && !filter.admits(joinFsPath(canonical, e.name))) continue;
          out.push({ name: e.name, type: e.type, size: e.type === 'file' ? e.size : 0 });
        }
        return out.sort(byName);
      });
    },

    find(pattern) {
      return guarded('', { pattern }, async () => {
        requireRead('');
        const compiled = compileFindPattern(pattern);
        const files = await backend.walk(compiled.base);
        const out = files.filter(
          (p) => p.split('/').every(isValidFsName) && filter.admits(p) && compiled.matches(p),
        );
        // Default string order is UTF-16 code-unit order, the order every function promises.
        return [...new Set(out)].sort();
      });
    },

    exists(path) {
      return guarded(path, {}, async () => {
        requireRead(path);
        const canonical = normalizeFsPath(path);
        const found = await backend.stat(canonical);
        if (found === undefined) return false;
        if (found.type === 'file') requireAdmitted(canonical);
        return true;
      });
    },

    remove(path) {
      return guarded(path, {}, async () => {
        requireWrite(path);
        const canonical = normalizeFsPath(path);
        if (canonical === '')
          throw fsError('FS_INVALID_PATH', canonical, {
            reason: 'the mount root cannot be removed',
          });
        const found = await backend.stat(canonical);
        if (found === undefined) return false;
        if (found.type === 'file') requireAdmitted(canonical);
        return backend.remove(canonical);
      });
    },

    stat(path) {
      return guarded(path, {}, async () => {
        requireRead(path);
        const canonical = normalizeFsPath(path);
        const found = await backend.stat(canonical);
        if (found === undefined) throw fsError('FS_NOT_FOUND', canonical);
        if (found.type === 'file') requireAdmitted(canonical);
        return {
          name: fsBaseName(canonical),
          type: found.type,
          size: found.type === 'file' ? found.size : 0,
          modified: isoTime(found.modified),
          created: isoTime(found.created),
        };
      });
    },

    mkdir(path) {
      return guarded(path, {}, async () => {
        requireWrite(path);
        const canonical = normalizeFsPath(path);
        if (canonical === '') return false;
        return backend.mkdir(canonical);
      });
    },

    copy(from, to) {
      return guarded(from, { from, to }, async () => {
        requireWrite(from);
        const source = normalizeFsPath(from);
        const target = normalizeFsPath(to);
        requireFilePath(source);
        requireFilePath(target);
        requireAdmitted(source);
        requireAdmitted(target);
        await backend.copy(source, target, config.maxFileSize);
        return true as const;
      });
    },

    move(from, to) {
      return guarded(from, { from, to }, async () => {
        requireWrite(from);
        const source = normalizeFsPath(from);
        const target = normalizeFsPath(to);
        requireFilePath(source);
        requireFilePath(target);
        requireAdmitted(source);
        requireAdmitted(target);
        await backend.move(source, target);
        return true as const;
      });
    },
  };
}
