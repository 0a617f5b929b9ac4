import type { ExtensionResult, HostFunctions } from '@rillkit/core';

/** What the CLI hands to the runtime besides the script: host functions and their cleanup. */
export interface CliHost {
  readonly functions: HostFunctions;
  /** Persist and close every extension; rejects when some data could not be persisted. */
  dispose(): Promise<void>;
}

/** Options that decide which extensions a CLI run mounts. */
export interface CliHostOptions {
  /** Directory relative paths in extension options resolve against. */
  readonly cwd: string;
}

/** Creates one extension for a CLI run. */
export type CliExtensionFactory = (
  options: CliHostOptions,
) => Promise<ExtensionResult> | ExtensionResult;

/**
 * Extensions every CLI run gets. Empty for now: the storage defaults (a JSON kv store and a
 * local fs mount) are added here once the kv/fs extensions exist, so the commands themselves
 * never change when mounts do.
 */
export const DEFAULT_EXTENSIONS: readonly CliExtensionFactory[] = [];

/**
 * Build the host for one run from extension factories: their functions merged into one map
 * (a name registered twice is a configuration bug and throws), and one `dispose` that closes
 * all of them even when some fail.
 */
export async function createCliHost(
  options: CliHostOptions,
  factories: readonly CliExtensionFactory[] = DEFAULT_EXTENSIONS,
): Promise<CliHost> {
  const extensions: ExtensionResult[] = [];
  const functions: Record<string, HostFunctions[string]> = {};
  try {
    for (const factory of factories) {
      const extension = await factory(options);
      extensions.push(extension);
      for (const [name, fn] of Object.entries(extension.functions)) {
        if (Object.hasOwn(functions, name))
          throw new Error(`host function ${name} is registered twice`);
        functions[name] = fn;
      }
    }
  } catch (error) {
    await disposeAll(extensions).catch(() => undefined);
    throw error;
  }
  return { functions, dispose: () => disposeAll(extensions) };
}

async function disposeAll(extensions: readonly ExtensionResult[]): Promise<void> {
  const results = await Promise.allSettled(extensions.map((e) => e.dispose()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
