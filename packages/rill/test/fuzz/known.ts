/**
 * The reproducer list (reproducers.json): minimized scripts of sandbox failures found by the
 * fuzz. `status: "open"` means the bug is not fixed yet: the fuzz tolerates its failure class
 * (so CI stays green) and regressions.test.ts skips it. Flip it to `"fixed"` with the fix.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Reproducer {
  /** What goes wrong, in a few words. */
  readonly class: string;
  /** The failure class as `signature()` in sandbox.ts names it. */
  readonly signature: string;
  /** `open` until the interpreter is fixed, then `fixed`. */
  readonly status: 'open' | 'fixed';
  /** The minimized script. */
  readonly script: string;
  /** What the script must do once fixed. */
  readonly expected: 'coded error or result';
  /** Set when the failure needs limits.memory/steps/depth, which are not in the interpreter yet. */
  readonly needsLimits?: boolean;
}

export const REPRODUCERS_FILE = fileURLToPath(new URL('./reproducers.json', import.meta.url));

export function loadReproducers(): Reproducer[] {
  return JSON.parse(readFileSync(REPRODUCERS_FILE, 'utf8')) as Reproducer[];
}
