// Service gating, the same for every package: a missing service skips the tests that need it
// locally, with a reason nobody can miss, and fails the run under CI.

/** Whether `CI` is set (to anything but `''` or `'false'`). */
export function isCI(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value !== 'false';
}

/**
 * A service the tests need cannot be reached or started. Only this error is turned into a skip
 * by {@link gateService}; anything else is a bug and propagates.
 */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';

  /**
   * @param service what is missing (`'S3'`, `'Redis'`).
   * @param reason why, in words that say what to do (never a secret).
   */
  constructor(
    readonly service: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${service}: ${reason}`, options);
  }
}

/** What {@link gateService} found: the service, or the reason the tests are skipped. */
export type Gated<T> =
  | { readonly available: true; readonly value: T }
  | { readonly available: false; readonly reason: string };

/**
 * Open a service for a test file, a global setup or a benchmark.
 *
 * When `open` throws {@link ServiceUnavailableError}: under `CI` this throws (the run fails);
 * otherwise it prints `<label> SKIPPED — <reason>` between rows of `!` on stderr and resolves
 * to `{ available: false, reason }`, so the caller can register its tests as skipped with the
 * reason in their title. Any other error propagates unchanged.
 *
 * @example
 * const s3 = await gateService('@rillkit/ext-fs-s3: S3 tests', () => resolveS3Target());
 * if (!s3.available) describe.skip(`s3 (skipped: ${s3.reason})`, () => undefined);
 */
export async function gateService<T>(
  label: string,
  open: () => Promise<T>,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<Gated<T>> {
  try {
    return { available: true, value: await open() };
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    const banner = `${label} SKIPPED — ${error.reason}`;
    if (isCI(env))
      throw new Error(`${banner} (CI is set, so this fails the run)`, { cause: error });
    const line = '!'.repeat(Math.min(banner.length, 100));
    console.warn(`\n${line}\n${banner}\n${line}\n`);
    return { available: false, reason: error.reason };
  }
}
