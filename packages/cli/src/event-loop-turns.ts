import type { HostFunction, HostFunctions } from '@rillkit/core';

/** Longest stretch, in ms, that host calls may run without the event loop getting a turn. */
export const EVENT_LOOP_TURN_MS = 50;

/**
 * Wrap host functions so that the event loop gets a turn at least every
 * {@link EVENT_LOOP_TURN_MS} ms of host calls.
 *
 * Why: Node delivers SIGINT to JavaScript only between event-loop turns, and a script whose
 * host calls finish without real I/O (a `memory` mount, a JSON mount with
 * `writePolicy: 'dispose'`, SQLite, whose driver is synchronous) runs entirely on
 * microtasks, so Ctrl-C would wait until the script ends. A call that finds the loop starved
 * for longer first waits for one `setImmediate`, which lets the pending signal abort the run.
 * Calls that do real I/O give the loop its turns anyway and never wait.
 */
export function withEventLoopTurns(functions: HostFunctions): HostFunctions {
  let lastTurn = performance.now();
  let isBeatPending = false;
  // A heartbeat notes when the loop really had a turn, so only starved runs ever wait.
  const beat = (): void => {
    if (isBeatPending) return;
    isBeatPending = true;
    setImmediate(() => {
      isBeatPending = false;
      lastTurn = performance.now();
    });
  };
  const turn = (): Promise<void> =>
    new Promise((resolve) => {
      setImmediate(() => {
        lastTurn = performance.now();
        resolve();
      });
    });
  const wrapped: Record<string, HostFunction> = {};
  for (const [name, def] of Object.entries(functions)) {
    wrapped[name] = {
      ...def,
      fn: (args, ctx) => {
        beat();
        if (performance.now() - lastTurn < EVENT_LOOP_TURN_MS) return def.fn(args, ctx);
        return turn().then(() => def.fn(args, ctx));
      },
    };
  }
  return Object.freeze(wrapped);
}
