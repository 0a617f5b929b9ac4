// The symlink, local-fs and atomic-write suites once more with folders checked by name, as
// on systems where /proc/self/fd is unusable (docs/guide-local-fs.md, "Swapped folders"): what
// scripts see must be the same either way. The imported files register their tests here.
import { setFolderPinningForTests } from '../../src/ext/fs/folder-scope.js';

setFolderPinningForTests(false);
await import('./symlinks.test.js');
await import('./local-fs.test.js');
await import('./atomic-writes.test.js');
