/**
 * Access modes shared by kv and fs mounts. A mount's `mode` decides which functions a
 * script may call on it; the kv and fs policies map a refusal to their own coded error
 * (`KV_READ_ONLY` / `FS_READ_ONLY`, `KV_WRITE_ONLY` / `FS_WRITE_ONLY`).
 *
 * - `'read'`: reads only; every write is refused.
 * - `'write'`: writes only; every read (including listing and existence checks) is refused.
 * - `'read-write'` (the default): everything.
 */
export type AccessMode = 'read' | 'write' | 'read-write';

/** Every access mode, in documentation order. */
export const ACCESS_MODES: readonly AccessMode[] = Object.freeze(['read', 'write', 'read-write']);

/** The mode a mount gets when its options name none. */
export const DEFAULT_ACCESS_MODE: AccessMode = 'read-write';

/** True when `value` is one of {@link ACCESS_MODES}. */
export function isAccessMode(value: unknown): value is AccessMode {
  return typeof value === 'string' && (ACCESS_MODES as readonly string[]).includes(value);
}

/** True when a mount in `mode` may be read from. */
export function canRead(mode: AccessMode): boolean {
  return mode !== 'write';
}

/** True when a mount in `mode` may be written to. */
export function canWrite(mode: AccessMode): boolean {
  return mode !== 'read';
}
