import { describe, expect, it } from 'vitest';
import { type HostFunction, type RillValue, RillRuntimeError } from '@rillkit/core';
import { expectCode, never, run, runData, settleTime } from './helpers.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A host function `work(v, ms)` that records how many calls overlap. */
function tracked(): { work: HostFunction; max: () => number; order: RillValue[] } {
  let current = 0;
  let max = 0;
  const order: RillValue[] = [];
  const work: HostFunction = {
    params: [
      { name: 'v', type: 'any' },
      { name: 'ms', type: 'number', default: 5 },
    ],
    fn: async ([v, ms]) => {
      current++;
      max = Math.max(max, current);
      await sleep(ms as number);
      current--;
      order.push(v as RillValue);
      return v as RillValue;
    },
  };
  return { work, max: () => max, order };
}

describe('map and filter concurrency', () => {
  it('keeps at most limits.concurrency bodies in flight, results in input order', async () => {
    const t = tracked();
    const result = await runData('range(0, 10) -> map { work($, 20 - $ * 2) }', {
      functions: { work: t.work },
      limits: { concurrency: 3 },
    });
    expect(result).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(t.max()).toBe(3);
    // Later elements with shorter delays finished first: the bodies really overlapped.
    expect(t.order).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('defaults to 16 in flight', async () => {
    const t = tracked();
    await run('range(0, 40) -> map { work($) }', { functions: { work: t.work } });
    expect(t.max()).toBe(16);
  });

  it('runs filter concurrently and keeps input order', async () => {
    const t = tracked();
    const result = await runData('range(0, 8) -> filter { work($ % 2 == 0, 10 - $) }', {
      functions: { work: t.work },
      limits: { concurrency: 4 },
    });
    expect(result).toEqual([0, 2, 4, 6]);
    expect(t.max()).toBe(4);
  });

  it('runs each and fold one body at a time', async () => {
    const t = tracked();
    await run('range(0, 5) -> each { work($) }\nrange(0, 5) -> fold(0) { work($@ + $) }', {
      functions: { work: t.work },
    });
    expect(t.max()).toBe(1);
  });

  it('break yields the results before the breaking element', async () => {
    const t = tracked();
    const result = await runData('range(0, 8) -> map { ($ == 3) ? break\nwork($ * 10) }', {
      functions: { work: t.work },
      limits: { concurrency: 4 },
    });
    expect(result).toEqual([0, 10, 20]);
    const kept = await runData('range(0, 8) -> filter { ($ == 5) ? break\nwork($ < 3) }', {
      functions: { work: t.work },
    });
    expect(kept).toEqual([0, 1, 2]);
  });

  it('the first failing element by input order decides the error', async () => {
    const failAfter: HostFunction = {
      params: [
        { name: 'ms', type: 'number' },
        { name: 'tag', type: 'string' },
      ],
      fn: async ([ms, tag]) => {
        await sleep(ms as number);
        throw new RillRuntimeError('EVAL_SCRIPT_ERROR', tag as string, { details: { tag } });
      },
    };
    const error = await expectCode(
      '[[40, "first"], [1, "second"]] -> map { failAfter($[0], $[1]) }',
      'EVAL_SCRIPT_ERROR',
      {
        functions: { failAfter },
      },
    );
    expect(error.details.tag).toBe('first');
  });

  it('an error does not wait for later elements that hang', async () => {
    const hang: HostFunction = {
      params: [{ name: 'v', type: 'any' }],
      fn: () => never<RillValue>(),
    };
    const elapsed = await settleTime(
      expectCode('[0, 1] -> map { ($ == 0) ? (1 / 0) ! hang($) }', 'EVAL_DIVISION_BY_ZERO', {
        functions: { hang },
      }),
    );
    expect(elapsed).toBeLessThan(5000);
  });

  it('a non-bool filter predicate fails at its element', async () => {
    const t = tracked();
    await expectCode('[1, 2] -> filter { work($) }', 'EVAL_CONDITION_NOT_BOOL', {
      functions: { work: t.work },
    });
  });
});
