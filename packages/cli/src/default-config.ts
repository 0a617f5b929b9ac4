import { join } from 'node:path';
import type { CliConfig } from './config-schema.js';

/** How errors name the embedded default config. */
export const DEFAULT_CONFIG_SOURCE = '(default config)';

/**
 * What `rill run` and `rill eval` mount when no `--config` is given (there is no config
 * discovery: a run without `--config` always gets exactly this):
 *
 * - kv mount `state`: a JSON store at `<cwd>/.rill/state.json`, mode `read-write`. The
 *   folder `.rill/` and the file are created on the first write; a script that only reads
 *   creates nothing.
 * - fs mount `files`: the folder `<cwd>` on local disk, mode `read-write`.
 *
 * No limits beyond the runtime's defaults.
 */
export function defaultConfig(cwd: string): CliConfig {
  return {
    source: DEFAULT_CONFIG_SOURCE,
    kv: [
      {
        kind: 'kv',
        name: 'state',
        backend: 'json',
        options: { store: join(cwd, '.rill', 'state.json'), mode: 'read-write' },
      },
    ],
    fs: [
      { kind: 'fs', name: 'files', backend: 'local', options: { path: cwd, mode: 'read-write' } },
    ],
    limits: {},
  };
}
