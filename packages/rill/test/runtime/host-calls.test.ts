import { describe, expect, it } from 'vitest';
import {
  formatError,
  type HostCallContext,
  type HostFunction,
  type HostFunctions,
  isClosure,
  type RillClosure,
  RillBackendError,
  type RillValue,
} from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { expectCode, failure, run, runData } from './helpers.js';

const echo: HostFunction = { params: [{ name: 'v', type: 'any' }], fn: ([v]) => v as RillValue };
const add: HostFunction = {
  params: [
    { name: 'a', type: 'number' },
    { name: 'b', type: 'number', default: 10 },
  ],
  fn: ([a, b]) => (a as number) + (b as number),
  returns: 'number',
};
const zero: HostFunction = { params: [], fn: () => 'zero' };
const functions: HostFunctions = { echo, add, zero, 'ns::deep::fn': echo };

describe('host function calls', () => {
  it('passes positional args with defaults filled', async () => {
    const seen: (readonly RillValue[])[] = [];
    const spy: HostFunction = {
      params: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'list', default: [1] },
        { name: 'c', type: 'bool', default: false },
      ],
      fn: (args) => {
        seen.push(args);
        return 'ok';
      },
    };
    await run('spy("x")\nspy("y", [2])\nspy("z", [], true)', { functions: { spy } });
    expect(seen.map((a) => a.length)).toEqual([3, 3, 3]);
    expect(seen[0]).toEqual(['x', [1], false]);
    expect(seen[2]).toEqual(['z', [], true]);
  });

  it('calls namespaced functions', async () => {
    expect(await run('ns::deep::fn(42)', { functions })).toBe(42);
    expect(await run('7 -> ns::deep::fn', { functions })).toBe(7);
  });

  it.each([
    ['add()', 'HOST_ARGUMENT_COUNT'],
    ['add(1, 2, 3)', 'HOST_ARGUMENT_COUNT'],
    ['zero(1)', 'HOST_ARGUMENT_COUNT'],
    ['"x" -> zero', 'HOST_ARGUMENT_COUNT'],
    ['add("1")', 'HOST_ARGUMENT_TYPE'],
    ['add(1, true)', 'HOST_ARGUMENT_TYPE'],
  ] as const)('%s fails with %s', async (source, code) => {
    await expectCode(source, code, { functions });
  });

  it('names the function, param, expected and actual type on HOST_ARGUMENT_TYPE', async () => {
    const error = await expectCode('add(1, "2")', 'HOST_ARGUMENT_TYPE', { functions });
    expect(error.details).toMatchObject({
      name: 'add',
      param: 'b',
      expected: 'number',
      actual: 'string',
    });
  });

  it('inserts $ per the call rules', async () => {
    // Bare: `$` is the single argument.
    expect(await run('5 -> add', { functions })).toBe(15);
    // Empty parens in a pipe, with a required param: `$` is the first argument.
    expect(await run('5 -> add()', { functions })).toBe(15);
    // Explicit arguments: no insertion.
    expect(await run('5 -> add(1)', { functions })).toBe(11);
    // Empty parens and no required param: no insertion.
    expect(await run('5 -> zero()', { functions })).toBe('zero');
    // Bare at top level, where `$` is unbound: no arguments.
    expect(await run('zero', { functions })).toBe('zero');
    await expectCode('add', 'HOST_ARGUMENT_COUNT', { functions });
  });

  it('suggests a close name for an unknown function', async () => {
    const error = await expectCode('ad(1)', 'EVAL_UNKNOWN_FUNCTION', { functions });
    expect(error.details).toMatchObject({ name: 'ad', suggestion: 'add' });
    const builtin = await expectCode('lgo("x")', 'EVAL_UNKNOWN_FUNCTION', { functions });
    expect(builtin.details).toMatchObject({ suggestion: 'log' });
    const far = await expectCode('completely_different(1)', 'EVAL_UNKNOWN_FUNCTION', { functions });
    expect(far.details.suggestion).toBeUndefined();
    expect(far.details.name).toBe('completely_different');
  });

  it('does not evaluate arguments of an unknown function', async () => {
    const calls: string[] = [];
    const error = await failure(
      run('nope(track("arg"))', {
        functions: {
          track: {
            params: [{ name: 'v', type: 'any' }],
            fn: ([v]) => (calls.push(v as string), 1),
          },
        },
      }),
    );
    expect(error.code).toBe('EVAL_UNKNOWN_FUNCTION');
    expect(calls).toEqual([]);
  });

  it('keeps the code of a thrown RillError and adds the call location', async () => {
    const boom: HostFunction = {
      params: [],
      fn: () => {
        throw new RillBackendError('KV_READ_ONLY', 'mount is read-only', {
          details: { mount: 'm' },
        });
      },
    };
    const error = await expectCode('1\n  boom()', 'KV_READ_ONLY', { functions: { boom } });
    expect(error).toBeInstanceOf(RillBackendError);
    expect(error.details).toEqual({ mount: 'm' });
    expect(error.span?.start).toMatchObject({ line: 2, column: 3 });
    expect(formatError(error)).toContain('test.rill:2:3');
  });

  it('wraps a thrown plain Error as HOST_FUNCTION_FAILED keeping it as cause', async () => {
    const original = new TypeError('driver exploded');
    const sync: HostFunction = {
      params: [],
      fn: () => {
        throw original;
      },
    };
    const rejecting: HostFunction = { params: [], fn: () => Promise.reject(original) };
    const thrownString: HostFunction = {
      params: [],
      fn: () => {
        throw 'just a string';
      },
    };
    for (const name of ['sync', 'rejecting']) {
      const error = await expectCode(`${name}()`, 'HOST_FUNCTION_FAILED', {
        functions: { sync, rejecting },
      });
      expect(error.cause).toBe(original);
      expect(error.details.name).toBe(name);
    }
    const error = await expectCode('thrownString()', 'HOST_FUNCTION_FAILED', {
      functions: { thrownString },
    });
    expect(error.cause).toBe('just a string');
  });

  it.each([
    ['undefined', () => undefined],
    ['null', () => null],
    ['a promise of undefined', async () => undefined],
    ['a function', () => () => 1],
    ['a class instance', () => new Date()],
    ['a list holding null', () => [1, null]],
  ])('reports a host returning %s as HOST_INVALID_RETURN', async (_label, fn) => {
    const bad = { params: [], fn } as unknown as HostFunction;
    const error = await expectCode('bad()', 'HOST_INVALID_RETURN', { functions: { bad } });
    expect(error.details.name).toBe('bad');
  });

  it('checks a declared return type', async () => {
    const liar: HostFunction = { params: [], fn: () => 'text', returns: 'number' };
    const error = await expectCode('liar()', 'HOST_INVALID_RETURN', { functions: { liar } });
    expect(error.details).toMatchObject({ expected: 'number', actual: 'string' });
    const anyReturn: HostFunction = { params: [], fn: () => [1], returns: 'any' };
    expect(await runData('anyReturn()', { functions: { anyReturn } })).toEqual([1]);
  });

  it('converts plain JS results into rill values', async () => {
    const data: HostFunction = {
      params: [],
      fn: () => ({ b: 1, a: [true, 'x'], nested: { z: 0 } }) as unknown as RillValue,
    };
    expect(await run('data() -> .keys', { functions: { data } })).toEqual(['b', 'a', 'nested']);
    expect(await run('data().nested.z', { functions: { data } })).toBe(0);
  });

  it('gives host functions name, span, an abort signal and invoke', async () => {
    let seen: HostCallContext | undefined;
    const probe: HostFunction = {
      params: [],
      fn: (_args, ctx) => {
        seen = ctx;
        return true;
      },
    };
    await run('1 + 1\nprobe()', { functions: { probe } });
    expect(seen?.name).toBe('probe');
    expect(seen?.span?.start.line).toBe(2);
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    // The run is over, so work it started should stop.
    expect(seen?.signal.aborted).toBe(true);
  });

  it('lets host functions invoke closures with the run limits', async () => {
    const apply: HostFunction = {
      params: [
        { name: 'f', type: 'closure' },
        { name: 'v', type: 'any' },
      ],
      fn: async ([f, v], ctx) => ctx.invoke(f as RillClosure, [v as RillValue, 1]),
    };
    const twice: HostFunction = {
      params: [{ name: 'f', type: 'closure' }],
      fn: async ([f], ctx) => {
        const once = await ctx.invoke(f as RillClosure, [1]);
        return ctx.invoke(f as RillClosure, [once]);
      },
    };
    expect(await run('apply(|a, b| ($a + $b), 41)', { functions: { apply } })).toBe(42);
    expect(await run('twice({ $ * 10 })', { functions: { twice } })).toBe(100);
    // Errors inside the closure keep their code and location.
    const error = await expectCode('apply(|a, b| ($a / 0), 1)', 'EVAL_DIVISION_BY_ZERO', {
      functions: { apply },
    });
    // The division (column 15, or 14 with its parentheses), not the host call.
    expect(error.span?.start.column).toBeGreaterThanOrEqual(14);
    // Arity is checked as for any closure call.
    await expectCode('apply(|a| $a, 1)', 'EVAL_ARGUMENT_COUNT', { functions: { apply } });
    // Recursion through the host counts towards the call depth.
    await expectCode('|n, one| { apply($f, $n) } => $f\n$f(0, 1)', 'LIMIT_CALL_DEPTH', {
      functions: { apply },
    });
  });

  it('rejects invoke of something that is not a script closure', async () => {
    const fake = { params: [] } as unknown as RillClosure;
    const invokeFake: HostFunction = { params: [], fn: (_a, ctx) => ctx.invoke(fake, []) };
    const error = await expectCode('invokeFake()', 'EVAL_NOT_CALLABLE', {
      functions: { invokeFake },
    });
    expect(error.span?.start.column).toBe(1);
  });

  it('returns closures to the host as closure values', async () => {
    const ctx = createRuntimeContext();
    const { result } = await execute(parse('|x: number| ($x * 2)'), ctx);
    expect(isClosure(result)).toBe(true);
    expect((result as RillClosure).params).toEqual([
      { name: 'x', type: 'number', hasDefault: false },
    ]);
  });
});

describe('observability and logging', () => {
  it('reports every host call and return', async () => {
    const events: string[] = [];
    const result = await run('add(1, 2) -> echo -> ($ + 1)', {
      functions,
      observability: {
        onHostCall: (e) => events.push(`call ${e.name}(${e.args.join(',')})`),
        onHostReturn: (e) => {
          expect(e.durationMs).toBeGreaterThanOrEqual(0);
          events.push(`return ${e.name} ${String(e.value)}`);
        },
      },
    });
    expect(result).toBe(4);
    expect(events).toEqual(['call add(1,2)', 'return add 3', 'call echo(3)', 'return echo 3']);
  });

  it('ignores observers that throw', async () => {
    const result = await run('add(1, 2)', {
      functions,
      observability: {
        onHostCall: () => {
          throw new Error('observer bug');
        },
        onHostReturn: () => {
          throw new Error('observer bug');
        },
      },
    });
    expect(result).toBe(3);
  });

  it('sends log values and their text to onLog and passes them through', async () => {
    const logged: [RillValue, string][] = [];
    const result = await run('"hi" -> log\nlog([a: 1, b: "x"])\n5 -> log -> ($ + 1)', {
      callbacks: { onLog: (value, text) => logged.push([value, text]) },
    });
    expect(result).toBe(6);
    expect(logged.map(([, text]) => text)).toEqual(['hi', '[a: 1, b: "x"]', '5']);
    expect(logged[1]?.[0]).toBeInstanceOf(Map);
  });

  it('log works without a callback, and a throwing onLog is a host failure', async () => {
    expect(await run('log("quiet")')).toBe('quiet');
    const error = await expectCode('log("x")', 'HOST_FUNCTION_FAILED', {
      callbacks: {
        onLog: () => {
          throw new Error('sink down');
        },
      },
    });
    expect((error.cause as Error).message).toBe('sink down');
  });
});
