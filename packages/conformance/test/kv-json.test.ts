import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKvExtension } from '@rillkit/rill/ext/kv';
import { describeKvBackend } from '../src/index.js';

// One temp folder per namespace; one JSON file per mount, so reopening a namespace finds
// the same files.
describeKvBackend(
  'json',
  ({ namespace, mounts }) => {
    const dir = join(tmpdir(), `rillkit-conformance-kv-${namespace}`);
    mkdirSync(dir, { recursive: true });
    const withStores = Object.fromEntries(
      Object.entries(mounts).map(([name, options]) => [
        name,
        { ...options, store: join(dir, `${name}.json`) },
      ]),
    );
    const ext = createKvExtension({ mounts: withStores });
    return { ...ext, cleanup: () => rm(dir, { recursive: true, force: true }), secrets: [dir] };
  },
  {
    backendName: 'json',
    supports: { writePolicyDispose: true, persistent: true, sharedInstances: true },
  },
);
