/**
 * A problem with how the CLI was invoked rather than with the script (e.g. a file that cannot
 * be read). Reported as one line on stderr with exit code 2.
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}
