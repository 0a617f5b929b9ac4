import { performance } from 'node:perf_hooks';

/**
 * Bounds how long the commands of one connection may take with a single periodic check
 * instead of a timer per command (which costs several microseconds on every call). Redis
 * answers a connection's commands in order, so only the oldest command in flight can be the
 * late one: once it is older than `limit` ms, `onLate` runs once for it (the connection then
 * drops its socket, which fails every command in flight). The check runs only while
 * commands are in flight, and never keeps the process alive.
 */
export class CommandWatchdog {
  private readonly started: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reported: number | undefined;
  private readonly period: number;

  constructor(
    private readonly limit: number,
    private readonly onLate: () => void,
  ) {
    this.period = Math.max(10, Math.min(250, Math.floor(limit / 4)));
  }

  /**
   * Send a command (`send` is called at once) and watch it until it settles. A failure is
   * handed to `onFailure` when given (one promise step fewer than a `.catch` by the caller).
   */
  watch<T>(send: () => Promise<T>, onFailure?: (error: unknown) => T | Promise<T>): Promise<T> {
    this.started.push(performance.now());
    this.timer ??= setInterval(() => this.check(), this.period).unref();
    return send().then(
      (value) => {
        this.started.shift();
        return value;
      },
      (error: unknown) => {
        this.started.shift();
        if (onFailure === undefined) throw error;
        return onFailure(error);
      },
    );
  }

  /** Stop checking (commands still in flight are no longer bounded). */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private check(): void {
    const oldest = this.started[0];
    if (oldest === undefined) {
      this.stop();
      return;
    }
    if (performance.now() - oldest > this.limit && this.reported !== oldest) {
      this.reported = oldest;
      this.onLate();
    }
  }
}
