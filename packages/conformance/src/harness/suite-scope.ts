import type { ErrorCode, ExtensionResult, RillError } from '@rillkit/core';
import type { ExpectStatic } from 'vitest';
import { captureError } from './capture-error.js';
import { randomNamespace } from './random-namespace.js';
import { sleep } from './sleep.js';

/** What every suite factory returns: an extension plus optional cleanup and secrets. */
export interface SuiteInstance extends ExtensionResult {
  /**
   * Remove everything stored under the namespace. Called once per test, after every
   * instance of that namespace was disposed; must not fail when nothing was stored.
   */
  cleanup?(): Promise<void>;
  /**
   * Strings that must never appear in `mounts()` output or error messages (passwords,
   * tokens, URLs with credentials).
   */
  readonly secrets?: readonly string[];
}

/**
 * What one test owns, for kv and fs alike: a random namespace, the instances it opened
 * (disposed and cleaned up by {@link close}), the test-local `expect`, and timing helpers
 * scaled by the run's `ttlScale`.
 */
export abstract class SuiteScope<Instance extends SuiteInstance> {
  readonly namespace = randomNamespace();
  private readonly instances: Instance[] = [];

  protected constructor(
    readonly expect: ExpectStatic,
    private readonly timeScale: number,
  ) {}

  /** Remember an instance so {@link close} disposes it. */
  protected track(instance: Instance): Instance {
    this.instances.push(instance);
    return instance;
  }

  /** `seconds` scaled by the run's time scale. */
  ttl(seconds: number): number {
    return seconds * this.timeScale;
  }

  /** Sleep `seconds`, scaled. */
  wait(seconds: number): Promise<void> {
    return sleep(this.ttl(seconds) * 1000);
  }

  /** Await `work`, expect a coded error with `code`, return it. `label` names the call. */
  async expectCode(work: Promise<unknown>, code: ErrorCode, label = ''): Promise<RillError> {
    let err: RillError;
    try {
      err = await captureError(work);
    } catch (failure) {
      throw label === ''
        ? failure
        : new Error(`${label}: ${(failure as Error).message}`, { cause: failure });
    }
    this.expect(err.code, `${label} (message: ${err.message})`.trim()).toBe(code);
    this.checkSecrets(err.message);
    return err;
  }

  /** Fail when `text` contains any secret an instance declared. */
  checkSecrets(text: string): void {
    for (const instance of this.instances) {
      for (const secret of instance.secrets ?? []) {
        this.expect(text.includes(secret), 'a secret leaked into user-visible text').toBe(false);
      }
    }
  }

  /** Dispose every instance (dispose is idempotent), then run the namespace cleanup once. */
  async close(): Promise<void> {
    const failures: unknown[] = [];
    for (const instance of this.instances) {
      await instance.dispose().catch((err: unknown) => failures.push(err));
    }
    const owner = this.instances.find((i) => i.cleanup !== undefined);
    if (owner?.cleanup !== undefined) await owner.cleanup();
    if (failures.length > 0) throw failures[0];
  }
}
