/**
 * In-process mutual exclusion keyed by object key. Read-modify-write work on one key (append,
 * mkdir's check-then-create, remove's look-then-delete, move's copy-then-delete) runs one at a
 * time within this process, so concurrent calls of one script never lose each other's data.
 * Other processes are coordinated only through S3's conditional requests, where the server
 * supports them (see the package README).
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<void>>();

  /** Run `task` once every earlier task holding any of `keys` has settled. */
  async run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const earlier = unique.map((key) => this.tails.get(key)).filter((p) => p !== undefined);
    let release!: () => void;
    const mine = new Promise<void>((done) => {
      release = done;
    });
    for (const key of unique) this.tails.set(key, mine);
    try {
      if (earlier.length > 0) await Promise.all(earlier);
      return await task();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }
}
