/**
 * The per-run budgets (docs/ref-host-api.md, "Limits"): `limits.steps`, `limits.memory` and
 * `limits.depth`. Hostile scripts end with their code quickly and the host lives on;
 * legitimate scripts just inside a budget still run; the counts are exact where the
 * reference says they are.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type HostFunction, type RillValue } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { expectCode, failure, run } from './helpers.js';

const MIB = 1024 * 1024;

/** Runs `source` and returns `'ok'` or the error code. */
async function outcome(source: string, limits: Record<string, number>): Promise<string> {
  try {
    await run(source, { limits });
    return 'ok';
  } catch (error) {
    return (await failure(Promise.reject(error))).code;
  }
}

describe('hostile scripts end with a coded error under the default limits', () => {
  // The scripts that exhausted the host before the budgets existed (issue reproductions).
  const cases: readonly [string, string][] = [
    [
      'range(0, 26) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 10000) -> map { $s.split("") } -> .len',
      'LIMIT_MEMORY',
    ],
    ['range(0, 10000) -> map { range(0, 10000) -> map { [a: $, b: "x{$}"] } }', 'LIMIT_MEMORY'],
    ['range(0, 5000) -> fold([]) { list[$@] }', 'LIMIT_VALUE_DEPTH'],
    ['range(0, 5000) -> fold([:]) { [a: $@] }', 'LIMIT_VALUE_DEPTH'],
    ['range(0, 10000) -> fold(0) { 0 -> ($ < 10000) @ { $ + 1 } }', 'LIMIT_STEPS'],
    // Sharing: a list holding one big string a million times renders enormous text.
    [
      'range(0, 20) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 20) -> fold([$s]) { list[$@, $@] } => $l\n"{$l}"',
      'LIMIT_MEMORY',
    ],
    ['range(0, 23) -> fold("ab") { "{$@}{$@}" } => $s\n$s.upper.lower.upper', 'LIMIT_MEMORY'],
    ['range(0, 22) -> fold("a,") { "{$@}{$@}" } -> .split(",") -> .len', 'LIMIT_MEMORY'],
    [
      'range(0, 20) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 1000) -> map { $s } -> .join(",")',
      'LIMIT_MEMORY',
    ],
    [
      'range(0, 20) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 1000) -> map { $s } -> json',
      'LIMIT_MEMORY',
    ],
    ['range(0, 24) -> fold("x") { "{$@}{$@}" } => $s\n$s.replace_all("x", "xxxx")', 'LIMIT_MEMORY'],
    [
      'range(0, 24) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 100) -> map { $s -> :>list }',
      'LIMIT_MEMORY',
    ],
  ];
  for (const [source, code] of cases) {
    it(`${code}: ${JSON.stringify(source.slice(0, 70))}`, async () => {
      const error = await failure(
        execute(parse(source), createRuntimeContext({ timeout: 30_000 })),
      );
      expect(error.code, error.message).toBe(code);
      expect(error.span).toBeDefined();
    });
  }

  it('logging a value renders it as the script, not the callback, and charges it', async () => {
    let calls = 0;
    const onLog = (): void => {
      calls++;
    };
    const error = await failure(
      run('range(0, 20) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 100) -> map { $s } -> log', {
        callbacks: { onLog },
      }),
    );
    expect(error.code).toBe('LIMIT_MEMORY');
    expect(calls).toBe(0);
  });
});

describe('limits.steps counts the whole run', () => {
  it('counts every loop iteration and collection element exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        async (a, b) => {
          const source = `range(0, ${a}) -> fold(0) { 0 -> ($ < ${b}) @ { $ + 1 } }`;
          const steps = a + a * b;
          expect(await outcome(source, { steps })).toBe('ok');
          expect(await outcome(source, { steps: steps - 1 || 1 })).toBe(
            steps > 1 ? 'LIMIT_STEPS' : 'ok',
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('counts closure calls, so recursion within the call depth is bounded too', async () => {
    const source = '|n| { ($n < 1) ? 0 ! $f($n - 1) } => $f\n$f(5)';
    expect(await outcome(source, { steps: 6 })).toBe('ok');
    expect(await outcome(source, { steps: 5 })).toBe('LIMIT_STEPS');
  });

  it('counts host calls', async () => {
    const ping: HostFunction = { params: [], fn: () => 1 };
    const ctx = (steps: number) => createRuntimeContext({ functions: { ping }, limits: { steps } });
    const source = 'ping() + ping() + ping()';
    await expect(execute(parse(source), ctx(3))).resolves.toEqual({ result: 3 });
    expect((await failure(execute(parse(source), ctx(2)))).code).toBe('LIMIT_STEPS');
  });

  it('applies per run: a context runs many scripts, each with the full budget', async () => {
    const ctx = createRuntimeContext({ limits: { steps: 100 } });
    for (let i = 0; i < 5; i++) {
      await expect(execute(parse('range(0, 90) -> each { $ }'), ctx)).resolves.toBeDefined();
    }
  });
});

describe('limits.depth', () => {
  it('a value may be exactly as deep as the limit, not deeper', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 80 }),
        fc.constantFrom('list[$@]', '[a: $@]', '[1, $@, "x"]', '[k: [$@]]'),
        async (limit, n, wrap) => {
          // Start at depth 1; each fold step wraps once more (twice for `[k: [$@]]`).
          const per = wrap === '[k: [$@]]' ? 2 : 1;
          const depth = 1 + n * per;
          const result = await outcome(`range(0, ${n}) -> fold([]) { ${wrap} }`, { depth: limit });
          expect(result).toBe(depth <= limit ? 'ok' : 'LIMIT_VALUE_DEPTH');
        },
      ),
      { numRuns: 80 },
    );
  });

  it('entries, :>list and map over dicts respect it', async () => {
    // A dict 3 deep; its entries list is 4 deep (list of entry dicts holding the values).
    const source = '[a: [b: [1]]] => $d\n$d.entries';
    expect(await outcome(source, { depth: 4 })).toBe('ok');
    expect(await outcome(source, { depth: 3 })).toBe('LIMIT_VALUE_DEPTH');
    expect(await outcome('[a: [b: [1]]] -> :>list', { depth: 3 })).toBe('LIMIT_VALUE_DEPTH');
    expect(await outcome('[a: [b: [1]]] -> map { $ }', { depth: 3 })).toBe('LIMIT_VALUE_DEPTH');
    expect(await outcome('[a: [b: [1]]] -> map { $.value }', { depth: 3 })).toBe('ok');
  });

  it('the error names the limit', async () => {
    const error = await expectCode('[[[1]]]', 'LIMIT_VALUE_DEPTH', { limits: { depth: 2 } });
    expect(error.details.limit).toBe(2);
  });
});

describe('deep values name their real cause', () => {
  it('a host function returning a value deeper than the limit: LIMIT_VALUE_DEPTH, not HOST_INVALID_RETURN', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 100; i++) deep = [deep];
    const make: HostFunction = { params: [], fn: () => deep as RillValue };
    const echo: HostFunction = {
      params: [{ name: 'v', type: 'any' }],
      fn: ([v]) => v as RillValue,
    };
    const ctx = createRuntimeContext({ functions: { make, echo }, limits: { depth: 50 } });
    expect((await failure(execute(parse('make()'), ctx))).code).toBe('LIMIT_VALUE_DEPTH');
    // Its own argument handed back is as deep as the script could build: fine.
    const wide = createRuntimeContext({ functions: { echo }, limits: { depth: 20_000 } });
    const result = await execute(parse('range(0, 9000) -> fold([]) { list[$@] } -> echo'), wide);
    expect(Array.isArray(result.result)).toBe(true);
  });

  it('log renders a value 10,000 deep when the limit allows it, and calls onLog once', async () => {
    const texts: string[] = [];
    const value = await run('range(0, 10000) -> fold([]) { list[$@] } -> log -> type', {
      limits: { depth: 20_000, iterations: 20_000 },
      callbacks: { onLog: (_v, text) => texts.push(text) },
    });
    expect(value).toBe('list');
    expect(texts).toHaveLength(1);
    expect(texts[0]?.startsWith('[[[[')).toBe(true);
  });
});

describe('values handed to host code are walkable', () => {
  // 30 doublings: a few kilobytes holding 2^30 elements for whoever walks them.
  const wide = 'range(0, 30) -> fold([1]) { [$@, $@] }';

  it('a host function never receives a value standing for billions of elements', async () => {
    let called = false;
    const sink: HostFunction = {
      params: [{ name: 'v', type: 'any' }],
      fn: () => {
        called = true;
        return true;
      },
    };
    const ctx = createRuntimeContext({ functions: { sink } });
    const error = await failure(execute(parse(`${wide} -> sink`), ctx));
    expect(error.code).toBe('LIMIT_VALUE_SIZE');
    expect(called).toBe(false);
  });

  it('nor as the result of a run', async () => {
    expect(await outcome(wide, {})).toBe('LIMIT_VALUE_SIZE');
    expect(await outcome(`${wide} -> type`, {})).toBe('ok');
  });
});

describe('limits.memory', () => {
  it('a string is refused before it is made once the budget would be passed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 18 }),
        async (kib, n) => {
          const memory = kib * 1024;
          const source = `range(0, ${n}) -> fold("x") { "{$@}{$@}" }`;
          const result = await outcome(source, { memory });
          // Charged at least its length for every string built: the last alone is 2^n.
          if (2 ** n > memory) expect(result).toBe('LIMIT_MEMORY');
          // Far under the budget, the script runs.
          if (2 ** (n + 2) + 64 * n < memory) expect(result).toBe('ok');
        },
      ),
      { numRuns: 80 },
    );
  });

  it('charges host results and tells host functions what is left', async () => {
    const seen: number[] = [];
    const big: HostFunction = {
      params: [{ name: 'n', type: 'number' }],
      fn: ([n], ctx) => {
        seen.push(ctx.memoryLeft ?? -1);
        return 'y'.repeat(n as number);
      },
    };
    const ctx = createRuntimeContext({ functions: { big }, limits: { memory: 100_000 } });
    await expect(execute(parse('big(10) -> .len'), ctx)).resolves.toEqual({ result: 10 });
    expect(seen[0]).toBe(100_000);
    const error = await failure(execute(parse('big(10) => $a\nbig(200000)'), ctx));
    expect(error.code).toBe('LIMIT_MEMORY');
    expect(seen[2]).toBeLessThan(100_000);
  });

  it('host calls in flight share what is left, so together they cannot load many budgets', async () => {
    const seen: number[] = [];
    const probe: HostFunction = {
      params: [],
      fn: async (_args, ctx) => {
        seen.push(ctx.memoryLeft ?? -1);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return 1;
      },
    };
    const memory = 1_000_000;
    const ctx = createRuntimeContext({ functions: { probe }, limits: { memory, concurrency: 16 } });
    await execute(parse('range(0, 16) -> map { probe() }'), ctx);
    expect(seen).toHaveLength(16);
    expect(Math.max(...seen)).toBeLessThanOrEqual(memory);
    // Each sees its share: the sum stays within the 16th harmonic number (~3.4) of budgets.
    const total = seen.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThan(3.5 * memory);
    expect(Math.min(...seen)).toBeLessThan(memory / 8);
  });

  it('charges structure held more than once once per container slot, not per element', async () => {
    // 2^20 elements reachable, but only 21 small lists exist.
    const source = 'range(0, 20) -> fold([1]) { list[$@, $@] } -> type';
    expect(await outcome(source, { memory: 8 * 1024 })).toBe('ok');
  });

  it('ordinary scripts run well within the default budget', async () => {
    const source = [
      'range(0, 2000) -> map { [id: $, name: "user {$}", tags: ["a", "b"]] } => $users',
      '$users -> filter { ($.id % 2) == 0 } -> map { $.name.upper } -> .join(",") -> .len',
    ].join('\n');
    const value = await run(source);
    expect(typeof value).toBe('number');
  });

  it("values a host passes in as variables are the host's, not charged", async () => {
    const variables = { text: 'z'.repeat(2 * MIB) };
    await expect(run('$text.len', { variables, limits: { memory: 1024 } })).resolves.toBe(2 * MIB);
  });

  it('keeps the host process alive: a refused run leaves the context usable', async () => {
    const ctx = createRuntimeContext({ limits: { memory: 64 * 1024 } });
    const bad = parse('range(0, 30) -> fold("x") { "{$@}{$@}" }');
    expect((await failure(execute(bad, ctx))).code).toBe('LIMIT_MEMORY');
    await expect(execute(parse('"fine"'), ctx)).resolves.toEqual({ result: 'fine' as RillValue });
  });
});

describe('limit options are validated', () => {
  for (const key of ['steps', 'memory', 'depth']) {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '10', null, true]) {
      it(`refuses limits.${key} = ${String(bad)}`, () => {
        let code: string | undefined;
        try {
          createRuntimeContext({ limits: { [key]: bad } as never });
        } catch (error) {
          code = (error as { code?: string }).code;
        }
        expect(code).toBe('HOST_INVALID_DEFINITION');
      });
    }
  }
});
