import { ConfigError, type ConfigErrorLocation } from './config-error.js';

/**
 * Loads a package by its name, the way `import()` does. The CLI loads backend packages
 * through one of these only when a mount uses them; tests inject their own to simulate a
 * package that is not installed.
 */
export type ModuleLoader = (specifier: string) => Promise<unknown>;

/** The real loader: a dynamic `import()`. */
export const importModule: ModuleLoader = (specifier) => import(specifier);

/**
 * Load a backend package and return its export `name` (a factory).
 *
 * @param location the config field that asked for the backend (`kv.jobs.backend`).
 * @throws {@link ConfigError} naming the package and the command that installs it when the
 *   package (or something it imports) cannot be found (`ERR_MODULE_NOT_FOUND`), or when it
 *   does not export `name` (a version that does not match this CLI). Any other load
 *   failure is rethrown as it is.
 */
export async function loadBackendFactory(
  packageName: string,
  name: string,
  loader: ModuleLoader,
  location: ConfigErrorLocation,
): Promise<(options: never) => unknown> {
  let loaded: unknown;
  try {
    loaded = await loader(packageName);
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.includes(`'${packageName}'`)
      ? `needs the package ${packageName}, which is not installed (npm install ${packageName})`
      : `needs the package ${packageName}, which cannot be loaded (${message.split('\n')[0] ?? ''}); reinstall it (npm install ${packageName})`;
    throw new ConfigError(location, reason, { cause: error });
  }
  const factory = (loaded as Record<string, unknown> | null)?.[name];
  if (typeof factory !== 'function') {
    throw new ConfigError(
      location,
      `the installed ${packageName} has no ${name} export: install a version matching this CLI`,
    );
  }
  return factory as (options: never) => unknown;
}
