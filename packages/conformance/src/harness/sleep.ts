/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Let timers and I/O callbacks run. Reader loops call it every round: a backend that serves
 * reads from memory resolves with microtasks only, and a loop of those would starve the
 * writer's I/O (and vitest's own timeouts) forever.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
