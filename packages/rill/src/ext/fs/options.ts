import type { FsMountOptions } from '@rillkit/core';

/**
 * One local-disk mount: the common fs options plus the folder to serve.
 *
 * @example
 * { path: './data', mode: 'read-write', glob: '*.{md,txt}', maxFileSize: 1_048_576 }
 */
export interface LocalFsMountOptions extends FsMountOptions {
  /**
   * The folder this mount serves (absolute, or relative to the working directory). It must
   * exist when the extension is created; its real path (symlinks resolved) is taken once and
   * is the boundary no script path or symlink may leave.
   */
  readonly path: string;
}

/** Options of {@link createFsExtension}. */
export interface FsExtensionOptions {
  /** The mounts, by name (at least one). */
  readonly mounts: Readonly<Record<string, LocalFsMountOptions>>;
  /** Register functions as `<namespace>::read`, ...; default `'fs'`. */
  readonly namespace?: string | undefined;
}
