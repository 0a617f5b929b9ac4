/**
 * In-process mutual exclusion keyed by path. Read-modify-write operations (append) and
 * replacements of one file are serialised, so two concurrent appends in one process never
 * lose each other's data. Other processes are not coordinated (see the local backend docs).
 */
export class PathLock {
  private readonly tails = new Map<string, Promise<void>>();

  /**
   * Run `task` once every earlier task holding any of `keys` has settled. `task` learns
   * whether it had to wait (what it looked up before may have changed meanwhile).
   */
  async run<T>(keys: readonly string[], task: (waited: boolean) => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const earlier = unique.map((k) => this.tails.get(k));
    const waited = earlier.some((p) => p !== undefined);
    const previous = earlier.map((p) => p ?? Promise.resolve());
    let release!: () => void;
    const mine = new Promise<void>((done) => {
      release = done;
    });
    for (const key of unique) this.tails.set(key, mine);
    try {
      await Promise.all(previous);
      return await task(waited);
    } finally {
      release();
      for (const key of unique) {
        if (this.tails.get(key) === mine) this.tails.delete(key);
      }
    }
  }
}
