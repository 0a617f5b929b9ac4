import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CliConfig } from './config-schema.js';
import { ConfigError } from './config-error.js';
import { type ConfigEnv, substituteEnv } from './env-substitution.js';
import { validateConfig } from './validate-config.js';

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
 * @throws {@link ConfigError}: the file cannot be read (with the errno code), is not valid
 *   JSON (with line and column), or any problem `substituteEnv` / `validateConfig` reports.
 * @example
 * const config = await loadConfig('rill.config.json');
 * config.kv.map((m) => `${m.name}: ${m.backend}`); // ['state: json', 'jobs: redis']
 */
export async function loadConfig(
  file: string,
  options: LoadConfigOptions = {},
): Promise<CliConfig> {
  const path = resolve(options.cwd ?? process.cwd(), file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new ConfigError({ source: file }, `cannot read the config file (${code})`, { cause });
  }
  const raw = parseJson(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, file);
  const substituted = substituteEnv(raw, options.env ?? process.env, file);
  return validateConfig(substituted, { source: file, baseDir: dirname(path) });
}

/** `JSON.parse`, with its syntax errors turned into a line and column. */
function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    // V8 reports an offset ("... in JSON at position 12"), newer versions also a line and
    // column; an unexpected end has neither and is at the end of the text.
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
    const before = text.slice(0, offset).split(/\r\n|\r|\n/);
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    const reason = message
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+/, '')
      .replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    throw new ConfigError({ source, line, column }, `invalid JSON: ${reason}`, { cause });
  }
}
