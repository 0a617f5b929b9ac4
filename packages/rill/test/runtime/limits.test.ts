import { describe, expect, it } from 'vitest';
import { type HostFunction, RillError, type RillValue, type SourceSpan } from '@rillkit/core';
import {
  createRuntimeContext,
  execute,
  parse,
  type ExpressionNode,
  type ScriptNode,
} from '../../src/index.js';
import { expectCode, failure, never, run, settleTime } from './helpers.js';

const id: HostFunction = { params: [{ name: 'v', type: 'any' }], fn: ([v]) => v as RillValue };
const hang: HostFunction = { params: [], fn: () => never<RillValue>() };
const hundred = { limits: { iterations: 100 }, functions: { id } };

describe('iteration limit', () => {
  it.each([
    ['while', '0 -> (true) @ { $ + 1 }'],
    ['while with a host call', '0 -> (true) @ { id($ + 1) }'],
    ['do-while without condition', '0 -> @ { $ + 1 }'],
    ['do-while with condition', '0 -> @ { $ + 1 } ? ($ > -1)'],
    ['do-while with a host call', '0 -> @ { id($) } ? (true)'],
    ['each over a long list', '$big -> each { $ }'],
    ['each(init)', '$big -> each(0) { $@ + $ }'],
    ['map', '$big -> map { $ }'],
    ['map with a host call', '$big -> map { id($) }'],
    ['filter', '$big -> filter { true }'],
    ['fold', '$big -> fold(0) { $@ + $ }'],
    ['a long string', '$text -> each { $ }'],
    ['range', 'range(0, 101)'],
    ['range with a step', 'range(0, 1000, 5)'],
    ['a descending range', 'range(0, -101, -1)'],
  ])('%s fails with LIMIT_ITERATIONS', async (_label, source) => {
    await expectCode(source, 'LIMIT_ITERATIONS', {
      ...hundred,
      variables: { big: Array.from({ length: 101 }, (_, i) => i), text: 'x'.repeat(101) },
    });
  });

  it('allows exactly the limit', async () => {
    expect(await run('0 -> ($ < 100) @ { $ + 1 }', hundred)).toBe(100);
    expect(await run('range(0, 100) -> fold(0) { $@ + 1 }', hundred)).toBe(100);
    expect(await run('0 -> @ { $ + 1 } ? ($ < 100)', hundred)).toBe(100);
  });

  it('counts per loop invocation, not per run', async () => {
    expect(await run('range(0, 50) -> each { range(0, 100) -> .len } -> .len', hundred)).toBe(50);
  });

  it('fails fast on huge ranges instead of allocating', async () => {
    const started = performance.now();
    await expectCode('range(0, 1e12)', 'LIMIT_ITERATIONS');
    await expectCode('range(0, 1e300) -> .len', 'LIMIT_ITERATIONS');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('defaults to 10,000', async () => {
    expect(await run('0 -> ($ < 10000) @ { $ + 1 }')).toBe(10000);
    await expectCode('0 -> ($ < 10001) @ { $ + 1 }', 'LIMIT_ITERATIONS');
  });

  it('runs the 100,000-step arithmetic loop when raised', async () => {
    expect(await run('0 -> ($ < 100000) @ { $ + 1 }', { limits: { iterations: 100_000 } })).toBe(
      100000,
    );
  });
});

describe('call depth limit', () => {
  const countdown = '|n| { ($n < 1) ? 0 ! ($f($n - 1) + 1) } => $f\n';

  it('stops runaway recursion', async () => {
    const error = await expectCode('|n| { $f($n + 1) } => $f\n$f(0)', 'LIMIT_CALL_DEPTH');
    expect(error.details.limit).toBe(200);
  });

  it('allows recursion up to the limit without exhausting the JS stack', async () => {
    expect(await run(`${countdown}$f(199)`)).toBe(199);
    await expectCode(`${countdown}$f(200)`, 'LIMIT_CALL_DEPTH');
    expect(await run(`${countdown}$f(5)`, { limits: { callDepth: 6 } })).toBe(5);
    await expectCode(`${countdown}$f(6)`, 'LIMIT_CALL_DEPTH', { limits: { callDepth: 6 } });
  });

  it('allows deep recursion when the host raises the limit', async () => {
    expect(await run(`${countdown}$f(5000)`, { limits: { callDepth: 10_000 } })).toBe(5000);
  });

  it('counts host calls in the nesting', async () => {
    const options = { limits: { callDepth: 4 }, functions: { id } };
    // Closure (1) -> closure (2) -> closure (3) -> host call (4).
    expect(
      await run('|x| { id($x) } => $c\n|x| { $c($x) } => $b\n|x| { $b($x) } => $a\n$a(1)', options),
    ).toBe(1);
    await expectCode(
      '|x| { id($x) } => $d\n|x| { $d($x) } => $c\n|x| { $c($x) } => $b\n|x| { $b($x) } => $a\n$a(1)',
      'LIMIT_CALL_DEPTH',
      options,
    );
  });

  it('maps an engine stack overflow from deeply nested syntax to LIMIT_CALL_DEPTH', async () => {
    const span: SourceSpan = {
      start: { offset: 0, line: 1, column: 1 },
      end: { offset: 1, line: 1, column: 2 },
    };
    let node: ExpressionNode = { type: 'Number', value: 1, span };
    for (let i = 0; i < 200_000; i++) node = { type: 'Unary', operator: '-', operand: node, span };
    const script: ScriptNode = {
      type: 'Script',
      statements: [node],
      source: { name: 'deep', text: '-' },
      span,
    };
    const error = await failure(execute(script, createRuntimeContext()));
    expect(error.code).toBe('LIMIT_CALL_DEPTH');
    expect(error.span).toBeDefined();
  });

  it('never lets 10,000 nested parentheses crash', async () => {
    const source = `${'('.repeat(10_000)}1${')'.repeat(10_000)}`;
    // The parser may refuse it (a coded parse error); if it parses, it must run or fail coded.
    let outcome: unknown;
    try {
      outcome = (await execute(parse(source), createRuntimeContext())).result;
    } catch (error) {
      outcome = error;
    }
    if (outcome !== 1) expect(RillError.is(outcome), String(outcome)).toBe(true);
  });
});

describe('timeout', () => {
  it('stops a synchronous endless loop', async () => {
    const elapsed = await settleTime(
      (async () => {
        const error = await expectCode('0 -> (true) @ { $ + 1 }', 'LIMIT_TIMEOUT', {
          timeout: 50,
          limits: { iterations: Number.MAX_SAFE_INTEGER },
        });
        expect(error.details.timeoutMs).toBe(50);
      })(),
    );
    expect(elapsed).toBeLessThan(2000);
  });

  it('stops a host call that never settles and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const wait: HostFunction = {
      params: [],
      fn: (_args, ctx) => {
        signal = ctx.signal;
        return never<RillValue>();
      },
    };
    const started = performance.now();
    await expectCode('1 -> { wait() }', 'LIMIT_TIMEOUT', { timeout: 50, functions: { wait } });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(signal?.aborted).toBe(true);
  });

  it('stops concurrent hung calls in map', async () => {
    await expectCode('[1, 2, 3] -> map { hang() }', 'LIMIT_TIMEOUT', {
      timeout: 30,
      functions: { hang },
    });
  });

  it('does not fire for a finished script, and long timeouts do not overflow the timer', async () => {
    expect(await run('1 + 1', { timeout: 10 })).toBe(2);
    expect(
      await run('[1, 2] -> map { id($) } -> .len', { timeout: 2 ** 40, functions: { id } }),
    ).toBe(2);
  });
});

describe('abort signal', () => {
  it('fails before running when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    let called = false;
    const touch: HostFunction = {
      params: [],
      fn: () => {
        called = true;
        return 1;
      },
    };
    const error = await expectCode('touch()', 'LIMIT_ABORTED', {
      signal: controller.signal,
      functions: { touch },
    });
    expect(called).toBe(false);
    expect((error.cause as Error).message).toBe('shutting down');
  });

  it('stops a pending host call when aborted mid-run', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const elapsed = await settleTime(
      expectCode('hang()', 'LIMIT_ABORTED', { signal: controller.signal, functions: { hang } }),
    );
    expect(elapsed).toBeLessThan(2000);
  });

  it('stops a running loop aborted from inside', async () => {
    const controller = new AbortController();
    const stopAt: HostFunction = {
      params: [{ name: 'n', type: 'number' }],
      fn: ([n]) => {
        if (n === 5) controller.abort();
        return n as number;
      },
    };
    const error = await expectCode('0 -> (true) @ { stopAt($) + 1 }', 'LIMIT_ABORTED', {
      signal: controller.signal,
      functions: { stopAt },
      limits: { iterations: 1_000_000 },
    });
    expect(error.span).toBeDefined();
  });

  it('aborts every run sharing the context', async () => {
    const controller = new AbortController();
    const ctx = createRuntimeContext({ signal: controller.signal, functions: { hang } });
    const runs = [execute(parse('hang()'), ctx), execute(parse('[1] -> map { hang() }'), ctx)];
    controller.abort();
    for (const r of runs) expect((await failure(r)).code).toBe('LIMIT_ABORTED');
    expect((await failure(execute(parse('1'), ctx))).code).toBe('LIMIT_ABORTED');
  });
});
