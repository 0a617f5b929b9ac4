// Running the example the way a user does: the built `rill` binary in a child process, in a
// temporary working folder, so nothing lands in the repo.
import { createRillRunner } from '@rillkit/test-services';
import { onTestFinished } from 'vitest';

const runner = createRillRunner(import.meta.url, 'notes');
export const { tempFolder, removeFolder } = runner;

/** Run `rill <args>` in `cwd` with this process's environment. */
export const rill = (cwd: string, ...args: string[]) => runner.rill(cwd, {}, ...args);

/** A fresh empty folder to run in, removed when the current test finishes. */
export function tempCwd(): string {
  const dir = tempFolder();
  onTestFinished(() => removeFolder(dir));
  return dir;
}
