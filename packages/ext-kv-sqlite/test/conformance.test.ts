import { mkdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKvBackend } from '@rillkit/conformance';
import { createSqliteKvExtension } from '../src/index.js';

// One temp folder and database file per namespace, every mount a table of it (so mounts
// share the connection); the table is derived from namespace and mount, so reopening a
// namespace finds the same rows.
describeKvBackend(
  'sqlite',
  ({ namespace, mounts }) => {
    const dir = join(tmpdir(), `rillkit-conformance-sqlite-${namespace}`);
    mkdirSync(dir, { recursive: true });
    const database = join(dir, 'kv.db');
    const withTables = Object.fromEntries(
      Object.entries(mounts).map(([name, options]) => [
        name,
        { ...options, database, table: `t_${namespace}_${name.replace(/[^A-Za-z0-9_]/g, '_')}` },
      ]),
    );
    const cleanup = () => rm(dir, { recursive: true, force: true });
    let ext;
    try {
      ext = createSqliteKvExtension({ mounts: withTables });
    } catch (error) {
      // The suite gets no cleanup from a factory that throws (invalid options on purpose).
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
    return { ...ext, cleanup, secrets: [dir] };
  },
  {
    backendName: 'sqlite',
    supports: { writePolicyDispose: false, persistent: true, sharedInstances: true },
  },
);
