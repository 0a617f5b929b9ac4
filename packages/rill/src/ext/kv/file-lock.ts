import { setTimeout as sleep } from 'node:timers/promises';
import { kvError } from '@rillkit/core';
import lockfile from 'proper-lockfile';

/**
 * A lock held longer than this (ms) without being refreshed counts as abandoned — its
 * process died — and is taken over. proper-lockfile refreshes held locks every
 * `stale / 2` ms, so only a dead (or frozen) holder loses it.
 */
export const KV_LOCK_STALE_MS = 10_000;

/** How long a write waits for the lock before failing with `KV_BACKEND_UNAVAILABLE`. */
export const KV_LOCK_WAIT_MS = 30_000;

/** Releases a held lock. */
export type ReleaseLock = () => Promise<void>;

/**
 * Take the cross-process lock of a store file: a `<file>.lock` directory created with
 * `mkdir` (atomic on local file systems and NFS) by proper-lockfile, which also keeps it
 * fresh and takes over stale ones. Waits with short randomised pauses while another
 * process (or another store object in this one) holds it.
 *
 * @param onCompromised called instead of crashing the process if the lock was lost while
 *   held (its directory removed, or not refreshed in time because the event loop stalled).
 * @throws `KV_BACKEND_UNAVAILABLE` after {@link KV_LOCK_WAIT_MS} of waiting; the file
 *   system's own error (e.g. `ENOENT` when the folder is gone) otherwise.
 */
export async function acquireFileLock(
  file: string,
  onCompromised: (error: Error) => void,
): Promise<ReleaseLock> {
  const deadline = Date.now() + KV_LOCK_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await lockfile.lock(file, {
        realpath: false,
        stale: KV_LOCK_STALE_MS,
        retries: 0,
        onCompromised,
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() >= deadline) {
        throw kvError(
          'KV_BACKEND_UNAVAILABLE',
          `the store file stayed locked by another process for ${KV_LOCK_WAIT_MS / 1000} s`,
          { reason: 'lock-timeout', file },
          error,
        );
      }
      // Short random pauses keep the hand-over quick when locks are held for a few ms.
      await sleep(1 + Math.random() * Math.min(2 * attempt, 25));
    }
  }
}
