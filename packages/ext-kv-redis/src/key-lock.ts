/**
 * Runs tasks on the same key one after another, tasks on different keys freely. The Redis
 * backend puts its optimistic updates through it: concurrent updates of one key inside a
 * process would otherwise all conflict with each other and retry (n updates costing n²
 * attempts); queued, they only ever conflict with other processes or clients.
 */
export class KeyLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Run `task` once every earlier task on `key` has settled; resolves with its result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    const result = before === undefined ? task() : before.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
