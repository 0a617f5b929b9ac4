import { type FileHandle, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CliConfig } from './config-schema.js';
import { ConfigError } from './config-error.js';
import { type ConfigEnv, substituteEnv } from './env-substitution.js';
import { parseConfigJson } from './parse-config-json.js';
import { validateConfig } from './validate-config.js';

/**
 * The largest config file the CLI reads: 1 MiB. A real config is a few kilobytes; anything
 * near this is a mistake (the wrong file) and is refused before it is read, let alone parsed.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The folder a relative `file` resolves against; `process.cwd()` by default. */
  readonly cwd?: string;
  /** What `${NAME}` references read; `process.env` by default. */
  readonly env?: ConfigEnv;
}

/**
 * Read a `rill.config.json`: parse it as JSON, replace `${ENV}` references
 * (see `substituteEnv`), validate it and resolve relative paths against the file's folder,
 * so one config works from any working directory.
 *
 * @param file the path as the user gave it (errors quote it as given).
 * @throws {@link ConfigError}: the file cannot be read (with the errno code), is larger than
 *   {@link MAX_CONFIG_BYTES}, is not valid JSON (with line and column), repeats a key or nests
 *   too deeply (see `parseConfigJson`), or any problem `substituteEnv` / `validateConfig`
 *   reports.
 * @example
 * const config = await loadConfig('rill.config.json');
 * config.kv.map((m) => `${m.name}: ${m.backend}`); // ['state: json', 'jobs: redis']
 */
export async function loadConfig(
  file: string,
  options: LoadConfigOptions = {},
): Promise<CliConfig> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  const text = await readConfigText(path, file);
  const raw = parseConfigJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const substituted = substituteEnv(raw, options.env ?? process.env, file);
  return validateConfig(substituted, { source: file, baseDir: dirname(path) });
}

/**
 * The file's text, refused when larger than {@link MAX_CONFIG_BYTES}: by its size before
 * reading, and while reading for files whose size is not known up front (a pipe).
 */
async function readConfigText(path: string, source: string): Promise<string> {
  const tooLarge = (size?: number): ConfigError =>
    new ConfigError(
      { source },
      `the config file is larger than 1 MiB (${size === undefined ? '' : `${size} bytes; `}` +
        `the limit is ${MAX_CONFIG_BYTES} bytes)`,
    );
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    if (size > MAX_CONFIG_BYTES) throw tooLarge(size);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const { bytesRead, buffer } = await handle.read({ buffer: Buffer.alloc(64 * 1024) });
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_CONFIG_BYTES) throw tooLarge();
      chunks.push(buffer.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks).toString('utf8');
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new ConfigError({ source }, `cannot read the config file (${code})`, { cause });
  } finally {
    await handle?.close();
  }
}
