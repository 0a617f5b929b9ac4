import { RillError } from '@rillkit/core';

/** Thrown when the suite itself is wrong (e.g. a script that does not parse). */
export class SuiteError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SuiteError';
  }
}

/**
 * Await `work`, expecting it to fail with a coded rillkit error, and return that error.
 * A success, a raw (uncoded) exception or a parse error of the suite's own script is turned
 * into a descriptive failure instead.
 */
export async function captureError(work: Promise<unknown>): Promise<RillError> {
  let value: unknown;
  try {
    value = await work;
  } catch (err) {
    if (!RillError.is(err)) {
      throw new SuiteError(`expected a coded rillkit error, got a raw exception: ${String(err)}`, {
        cause: err,
      });
    }
    if (err.code.startsWith('LEX_') || err.code.startsWith('PARSE_')) {
      throw new SuiteError(`conformance script does not parse (${err.code}): ${err.message}`, {
        cause: err,
      });
    }
    return err;
  }
  throw new SuiteError(`expected an error, but the call succeeded with ${describe(value)}`);
}

function describe(value: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v)) ??
      String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
