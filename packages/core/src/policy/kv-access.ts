import type { AccessMode } from './modes.js';
import { canRead, canWrite } from './modes.js';
import { kvError } from './kv-errors.js';

/**
 * What a kv function needs from the mount mode:
 * - `'read'`: `get get_or has keys getAll getMany`;
 * - `'write'`: `set merge delete clear setMany add`;
 * - `'read-write'`: `cas incr` — they hand back (or compare against) the stored value, so a
 *   write-only mount must not reveal it and a read-only mount must not change it.
 * `schema` and `mounts` describe configuration and work in every mode.
 */
export type KvAccess = 'read' | 'write' | 'read-write';

/**
 * Refuse an operation the mount mode does not allow.
 * @throws `KV_READ_ONLY` when the operation writes and the mount is `'read'`.
 * @throws `KV_WRITE_ONLY` when the operation reads and the mount is `'write'`.
 */
export function assertKvAccess(
  mode: AccessMode,
  access: KvAccess,
  mount: string,
  operation: string,
): void {
  if (access !== 'read' && !canWrite(mode)) {
    throw kvError('KV_READ_ONLY', `mount "${mount}" is read-only; ${operation} writes`, {
      mount,
      mode,
      operation,
    });
  }
  if (access !== 'write' && !canRead(mode)) {
    throw kvError('KV_WRITE_ONLY', `mount "${mount}" is write-only; ${operation} reads`, {
      mount,
      mode,
      operation,
    });
  }
}
