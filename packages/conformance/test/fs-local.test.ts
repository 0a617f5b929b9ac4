import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsExtension } from '@rillkit/rill/ext/fs';
import { describeFsBackend } from '../src/index.js';

// One temp folder per namespace, one sub-folder per mount: reopening a namespace with other
// mount options reaches the same files.
describeFsBackend(
  'local',
  ({ namespace, mounts }) => {
    const base = join(tmpdir(), `rillkit-conformance-fs-${namespace}`);
    const withPaths = Object.fromEntries(
      Object.entries(mounts).map(([name, options]) => {
        const path = join(base, name);
        mkdirSync(path, { recursive: true });
        return [name, { ...options, path }];
      }),
    );
    const ext = createFsExtension({ mounts: withPaths });
    return { ...ext, cleanup: () => rm(base, { recursive: true, force: true }), secrets: [base] };
  },
  { backendName: 'local' },
);
