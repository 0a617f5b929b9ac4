import type { SkipList } from '../harness/case-registrar.js';
import type { SuiteInstance } from '../harness/suite-scope.js';

/** The backend-independent fs mount options of docs/ref-storage.md. */
export interface CommonFsMountOptions {
  /** `read` blocks writes, `write` blocks reads; default `read-write`. */
  readonly mode?: 'read' | 'write' | 'read-write';
  /** File names the mount admits (picomatch glob); default: every file. */
  readonly glob?: string;
  /** Largest file in bytes that may be read or written; default 10 MiB. */
  readonly maxFileSize?: number;
}

/** What the suite hands the fs factory for each extension instance it needs. */
export interface FsSuiteFactoryInput {
  /**
   * Random per test (letters and digits). Root every mount in a fresh folder / key prefix
   * derived from the namespace and the mount name. Two calls with the same namespace and
   * mount name must reach the same files (the suite reopens a mount with other options, e.g.
   * a glob, to see files written without it); different namespaces never share files.
   */
  readonly namespace: string;
  /**
   * Mount name -> common options. Add the backend fields (local `path`, S3 `bucket` and
   * `prefix`) and pass every other field through unchanged, including fields the suite invents
   * to check that unknown options are rejected.
   */
  readonly mounts: Readonly<Record<string, CommonFsMountOptions>>;
}

/**
 * What the fs factory returns: the extension (`fs::…` functions and `dispose`), plus an
 * optional `cleanup()` removing the namespace's folders/objects and `secrets` that must never
 * show in `fs::mounts()` or error messages.
 */
export type FsSuiteInstance = SuiteInstance;

/**
 * Creates an fs extension for the suite. The mount root must exist (create the folder) but be
 * empty for a new namespace. May throw a coded `FS_INVALID_CONFIG` for invalid options — the
 * suite checks that it does.
 *
 * @example
 * describeFsBackend('local', async ({ namespace, mounts }) => {
 *   const base = join(tmpdir(), namespace);
 *   const withPaths = await rootEachMount(base, mounts);
 *   return { ...createFsExtension({ mounts: withPaths }), cleanup: () => rm(base, { recursive: true, force: true }) };
 * });
 */
export type FsSuiteFactory = (
  input: FsSuiteFactoryInput,
) => FsSuiteInstance | Promise<FsSuiteInstance>;

/** Options of a {@link FsSuiteFactory} suite run. */
export interface FsSuiteOptions {
  /**
   * Run tests one at a time. By default tests run concurrently (up to vitest's
   * `maxConcurrency`); each has its own namespace, so they never share data.
   */
  readonly sequential?: boolean;
  /** Tests or groups to skip (title, group title, or `group > test`) with the reason. */
  readonly skip?: SkipList;
  /** Per-test time limit in ms (default 120,000; heavy cases twice that). It only catches hangs. */
  readonly timeoutMs?: number;
  /** The `backend` name `fs::mounts()` must report (not checked when omitted). */
  readonly backendName?: string;
  /** How many files the "list is complete" test writes (default 1,200). */
  readonly manyFiles?: number;
  /**
   * Largest clock difference in ms between this process and the storage (for `stat` times;
   * default 10 minutes).
   */
  readonly clockSkewMs?: number;
}
