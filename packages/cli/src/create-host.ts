import type { ExtensionResult, HostFunctions } from '@rillkit/core';
import { buildExtensions } from './build-extensions.js';
import { withEventLoopTurns } from './event-loop-turns.js';
import type { CliConfig } from './config-schema.js';
import { type ModuleLoader, importModule } from './module-loader.js';
import { routeMounts } from './mount-router.js';

/** What the CLI hands to the runtime besides the script: host functions and their cleanup. */
export interface CliHost {
  readonly functions: HostFunctions;
  /** Persist and close every extension; rejects when some data could not be persisted. */
  dispose(): Promise<void>;
}

/** Options of {@link createCliHost}. */
export interface CliHostOptions {
  /** The mounts to create: a loaded config file or `defaultConfig(cwd)`. */
  readonly config: CliConfig;
  /** How backend packages are loaded; a dynamic `import()` by default. */
  readonly loadModule?: ModuleLoader | undefined;
}

/**
 * Build the host of one run from a config: one extension per group of mounts (see
 * `buildExtensions`), presented to scripts as one `kv::*` and one `fs::*` function set
 * whatever the backends (see `routeMounts`), that let Ctrl-C through during long runs of
 * host calls (see `withEventLoopTurns`), and one `dispose` that closes all of them even
 * when some fail.
 *
 * @throws `ConfigError` (exit code 2) for an option a backend rejects or a backend package
 *   that is not installed; nothing stays open then.
 * @example
 * const host = await createCliHost({ config: defaultConfig(process.cwd()) });
 * const ctx = createRuntimeContext({ functions: host.functions });
 * try { await execute(parse('kv::set("state", "n", 1)'), ctx); } finally { await host.dispose(); }
 */
export async function createCliHost(options: CliHostOptions): Promise<CliHost> {
  const built = await buildExtensions(options.config, options.loadModule ?? importModule);
  const { kv, fs } = options.config;
  const functions = withEventLoopTurns({
    ...routeMounts(
      'kv',
      built,
      kv.map((m) => m.name),
    ),
    ...routeMounts(
      'fs',
      built,
      fs.map((m) => m.name),
    ),
  });
  return {
    functions,
    dispose: () => disposeAll(built.map((b) => b.extension)),
  };
}

async function disposeAll(extensions: readonly ExtensionResult[]): Promise<void> {
  const results = await Promise.allSettled(extensions.map((e) => e.dispose()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
