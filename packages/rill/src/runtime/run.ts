import type { RillError, SourceInfo, SourceSpan } from '@rillkit/core';
import type { ContextInternals, RuntimeContext, RuntimeLimits } from './context.js';
import { runtimeError } from './runtime-error.js';

// setTimeout fires at once for delays beyond a signed 32-bit millisecond count; such long
// timeouts are enforced by the deadline checks alone.
const MAX_TIMER_MS = 2 ** 31 - 1;
// How many ticks pass between two clock reads in synchronous code.
const CLOCK_EVERY = 64;
const MIB = 1024 * 1024;

type StopReason = 'timeout' | 'aborted' | 'finished';

/**
 * The state of one `execute`: limits, the deadline, and the abort signal handed to host
 * functions (aborted when the host's signal aborts, on timeout, and when the run ends so
 * abandoned host work can stop). Nothing here is shared between runs.
 */
export class Run {
  readonly limits: RuntimeLimits;
  /** Set once the run must stop; checked on every loop iteration and call. */
  stopped: StopReason | undefined;
  // Created on first use: most runs never hand a signal to a host function, and an
  // AbortController plus its abort event cost more than a short script's whole evaluation.
  private controller: AbortController | undefined;
  // Rejecters of host calls in flight (see `race`): cheaper than abort-event listeners.
  private readonly pending = new Set<() => void>();
  private readonly deadline: number;
  /** Steps taken so far (see `tick`). */
  private ticks = 0;
  // The tick count at which `check` runs next: the next clock read or the steps limit.
  private nextCheck: number;
  /** Bytes of `limits.memory` not yet charged (see budget.ts). */
  memoryLeft: number;
  /** Host calls started and not yet settled. */
  hostCalls = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onHostAbort = (): void => this.stop('aborted');

  constructor(
    readonly ctx: RuntimeContext,
    readonly internals: ContextInternals,
    readonly source: SourceInfo,
  ) {
    this.limits = ctx.limits;
    this.memoryLeft = ctx.limits.memory;
    this.nextCheck = Math.min(CLOCK_EVERY, ctx.limits.steps + 1);
    this.deadline = ctx.timeout === undefined ? Infinity : performance.now() + ctx.timeout;
  }

  /** Arm the timeout and link the host's signal; fails at once if it is already aborted. */
  start(span: SourceSpan): void {
    const hostSignal = this.ctx.signal;
    if (hostSignal !== undefined) {
      if (hostSignal.aborted) {
        this.stop('aborted');
        throw this.interruption(span);
      }
      hostSignal.addEventListener('abort', this.onHostAbort, { once: true });
    }
    const timeout = this.ctx.timeout;
    if (timeout !== undefined && timeout <= MAX_TIMER_MS) {
      this.timer = setTimeout(() => this.stop('timeout'), timeout);
    }
  }

  /** Release timers and listeners and signal host functions that the run is over. */
  finish(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.ctx.signal?.removeEventListener('abort', this.onHostAbort);
    this.stop('finished');
  }

  /** The signal handed to host functions; aborted when the run stops for any reason. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.stopped !== undefined) this.controller.abort(this.abortReason());
    }
    return this.controller.signal;
  }

  private abortReason(): unknown {
    return this.stopped === 'aborted' ? this.ctx.signal?.reason : this.stopped;
  }

  private stop(reason: StopReason): void {
    if (this.stopped !== undefined) return;
    this.stopped = reason;
    this.controller?.abort(this.abortReason());
    for (const reject of this.pending) reject();
    this.pending.clear();
  }

  /**
   * Called on every loop iteration, collection element and invocation (one step each):
   * throws once the run was aborted, ran past its deadline or took more than
   * `limits.steps` steps. The clock is read only every few ticks.
   */
  tick(span: SourceSpan): void {
    // Kept tiny so the engine inlines it into loops; the rare work lives in `check`.
    if (this.stopped !== undefined || ++this.ticks >= this.nextCheck) this.check(span);
  }

  private check(span: SourceSpan): void {
    if (this.ticks > this.limits.steps) {
      throw runtimeError(
        'LIMIT_STEPS',
        `the script took more than ${this.limits.steps} steps`,
        span,
        { limit: this.limits.steps },
      );
    }
    this.nextCheck = Math.min(this.ticks + CLOCK_EVERY, this.limits.steps + 1);
    if (this.stopped === undefined && performance.now() > this.deadline) this.stop('timeout');
    if (this.stopped !== undefined) throw this.interruption(span);
  }

  /**
   * Charge `bytes` to the memory budget before the value they stand for is handed out;
   * `LIMIT_MEMORY` when they do not fit (the budget is then left as it was).
   */
  charge(bytes: number, span: SourceSpan | undefined): void {
    if ((this.memoryLeft -= bytes) < 0) this.overBudget(bytes, span);
  }

  private overBudget(bytes: number, span: SourceSpan | undefined): never {
    this.memoryLeft += bytes;
    const limit = this.limits.memory;
    throw runtimeError(
      'LIMIT_MEMORY',
      `the script's values would take more than its memory limit of ${(limit / MIB).toFixed(1)} MiB`,
      span,
      { limit, requested: bytes, left: this.memoryLeft },
    );
  }

  /** The error for a stopped run, located at `span`. */
  interruption(span: SourceSpan | undefined): RillError {
    if (this.stopped === 'timeout') {
      return runtimeError(
        'LIMIT_TIMEOUT',
        `the script ran longer than ${String(this.ctx.timeout)} ms`,
        span,
        {
          timeoutMs: this.ctx.timeout,
        },
      );
    }
    const cause = this.stopped === 'aborted' ? (this.ctx.signal?.reason as unknown) : undefined;
    return runtimeError('LIMIT_ABORTED', 'the script was aborted', span, undefined, cause);
  }

  /**
   * Settle with `promise`, or reject as soon as the run stops, so a host call that never
   * settles cannot hang the script.
   */
  race<T>(promise: PromiseLike<T>, span: SourceSpan): Promise<T> {
    if (this.stopped !== undefined) return Promise.reject(this.interruption(span));
    // Without a timeout or a host signal nothing can stop the run while it waits.
    if (this.ctx.timeout === undefined && this.ctx.signal === undefined) {
      return promise instanceof Promise ? (promise as Promise<T>) : Promise.resolve(promise);
    }
    return new Promise<T>((resolve, reject) => {
      const onStop = (): void => reject(this.interruption(span));
      this.pending.add(onStop);
      promise.then(
        (value) => {
          this.pending.delete(onStop);
          resolve(value);
        },
        (error: unknown) => {
          this.pending.delete(onStop);
          reject(error);
        },
      );
    });
  }
}
