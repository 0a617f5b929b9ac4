import {
  depthOf,
  noteDepth,
  type RillDict,
  type RillList,
  type RillValue,
  type SourceSpan,
  typeOf,
} from '@rillkit/core';
import type { CollectionNode } from '../ast/nodes.js';
import { dictBytes, stringBytes } from './budget.js';
import type { Run } from './run.js';
import { runtimeError } from './runtime-error.js';
import { codePoints } from './strings.js';

// An entry dict: two entries, plus its slot in the list.
const ENTRY_BYTES = 8 + dictBytes(2);
// A one-character string (one or two UTF-16 units), plus its slot in the list.
const CHARACTER_BYTES = 8 + stringBytes(2);

/** `[key: k, value: v]`, the element a dict yields when iterated. */
export function entryDict(key: string, value: RillValue): RillDict {
  const entry = new Map<string, RillValue>([
    ['key', key],
    ['value', value],
  ]);
  return typeof value === 'object' ? noteDepth(entry, depthOf(value) + 1) : entry;
}

/**
 * The entries of a dict as `[key: k, value: v]` dicts, in insertion order, charged to the
 * run. An entry is as deep as the dict it comes from.
 */
export function entriesOf(run: Run, dict: RillDict, span: SourceSpan): RillValue[] {
  run.charge(dict.size * ENTRY_BYTES, span);
  const out: RillValue[] = [];
  for (const [k, v] of dict) out.push(entryDict(k, v));
  return out;
}

/** The characters of a string as one-character strings, charged to the run. */
export function charactersOf(run: Run, text: string, span: SourceSpan): string[] {
  run.charge(text.length * CHARACTER_BYTES, span);
  return codePoints(text);
}

/** The `LIMIT_ITERATIONS` error for a loop or operator at `span`. */
export function iterationLimit(run: Run, span: SourceSpan): Error {
  return runtimeError('LIMIT_ITERATIONS', `more than ${run.limits.iterations} iterations`, span, {
    limit: run.limits.iterations,
  });
}

/**
 * The elements a collection operator iterates: a list's items, a dict's entries, a string's
 * characters. Fails fast when there are more than the iteration limit allows.
 */
export function elementsOf(run: Run, input: RillValue, node: CollectionNode): readonly RillValue[] {
  let items: readonly RillValue[];
  if (Array.isArray(input)) items = input as RillList;
  else if (input instanceof Map) {
    if ((input as RillDict).size > run.limits.iterations) throw iterationLimit(run, node.span);
    items = entriesOf(run, input as RillDict, node.span);
  } else if (typeof input === 'string') {
    if (input.length > 2 * run.limits.iterations) throw iterationLimit(run, node.span);
    items = charactersOf(run, input, node.span);
  } else {
    throw runtimeError(
      'EVAL_TYPE_MISMATCH',
      `\`${node.operator}\` needs a list, dict or string, got ${typeOf(input)}`,
      node.span,
      {
        operator: node.operator,
        actual: typeOf(input),
      },
    );
  }
  if (items.length > run.limits.iterations) throw iterationLimit(run, node.span);
  return items;
}

/** How a concurrent collection run ended. */
export interface ConcurrentOutcome {
  /** Results by input index; filled for every index below `stopAt`. */
  readonly results: RillValue[];
  /** Index of the first element that failed or broke, or the element count. */
  readonly stopAt: number;
  /** What element `stopAt` threw (an error or a BreakSignal), when it stopped early. */
  readonly stop: unknown;
}

/**
 * Run `count` bodies with at most `limit` in flight, starting them in input order. The
 * outcome is the one a sequential run would have: the first element (by index) that
 * throws decides it, and later elements' results and errors are ignored. Settles once
 * every element before the stopping one is done; on `break` it also waits for bodies
 * already started (they may have side effects), on an error it does not.
 */
export function runConcurrent(
  count: number,
  limit: number,
  body: (index: number) => Promise<RillValue>,
  isBreak: (thrown: unknown) => boolean,
): Promise<ConcurrentOutcome> {
  return new Promise((resolve) => {
    const results = new Array<RillValue>(count);
    const done = new Uint8Array(count);
    let next = 0;
    let inFlight = 0;
    let prefix = 0;
    let stopAt = count;
    let stop: unknown;
    let settled = false;

    const settle = (): void => {
      while (prefix < stopAt && done[prefix] === 1) prefix++;
      if (settled || prefix < stopAt) return;
      if (stopAt < count && isBreak(stop) && inFlight > 0) return;
      settled = true;
      resolve({ results, stopAt, stop });
    };
    const finish = (i: number): void => {
      inFlight--;
      done[i] = 1;
      launch();
      settle();
    };
    const launch = (): void => {
      while (!settled && inFlight < limit && next < stopAt) {
        const i = next++;
        inFlight++;
        let promise: Promise<RillValue>;
        try {
          promise = body(i);
        } catch (thrown) {
          promise = Promise.reject(thrown);
        }
        promise.then(
          (value) => {
            results[i] = value;
            finish(i);
          },
          (thrown: unknown) => {
            if (i < stopAt) {
              stopAt = i;
              stop = thrown;
            }
            finish(i);
          },
        );
      }
    };
    launch();
    settle();
  });
}
