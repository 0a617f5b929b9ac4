import { UsageError } from './usage-error.js';

/** Where in a config file a {@link ConfigError} is. */
export interface ConfigErrorLocation {
  /** The config file as given on the command line, or `(default config)`. */
  readonly source: string;
  /**
   * The dotted path of the offending field (`kv.user.table`); `undefined` when the problem
   * is the file as a whole (unreadable, not JSON).
   */
  readonly field?: string | undefined;
  /** 1-based line and column, for JSON syntax errors. */
  readonly line?: number | undefined;
  readonly column?: number | undefined;
}

/**
 * A config file that cannot be used: unreadable, not JSON, an unknown key, a wrong type, an
 * unknown backend, a missing field or variable, an option a backend rejected, a backend
 * package that is not installed. Reported as `rill: <file>: <field>: <reason>` with exit
 * code 2, before the script runs.
 */
export class ConfigError extends UsageError {
  readonly source: string;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The reason alone, without file and field. */
  readonly reason: string;

  constructor(location: ConfigErrorLocation, reason: string, options?: { cause?: unknown }) {
    const where =
      location.line === undefined
        ? location.source
        : `${location.source}:${location.line}:${location.column ?? 1}`;
    const field = location.field === undefined ? '' : `${location.field}: `;
    super(`${where}: ${field}${reason}`, options);
    this.name = 'ConfigError';
    this.source = location.source;
    this.field = location.field;
    this.line = location.line;
    this.column = location.column;
    this.reason = reason;
  }
}
