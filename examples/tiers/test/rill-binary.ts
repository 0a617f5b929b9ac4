// Running the example the way a user does: the built `rill` binary in a child process, in a
// temporary working folder, so nothing lands in the repo.
import { createRillRunner } from '@rillkit/test-services';
import { onTestFinished } from 'vitest';

export const { rill, tempFolder, removeFolder } = createRillRunner(import.meta.url, 'tiers');

/** A fresh empty folder to run in, removed when the current test finishes. */
export function tempCwd(): string {
  const dir = tempFolder();
  onTestFinished(() => removeFolder(dir));
  return dir;
}
