/**
 * Counts writes in flight so that `flush()` can wait for them, without a promise or a set
 * entry per write: a write calls {@link begin} before it is sent and {@link end} once it
 * settled, whichever way.
 */
export class WriteTracker {
  private pending = 0;
  private waiters: (() => void)[] = [];

  begin(): void {
    this.pending++;
  }

  end(): void {
    this.pending--;
    if (this.pending === 0 && this.waiters.length > 0) {
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves once no write is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
