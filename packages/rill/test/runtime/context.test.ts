import { describe, expect, it } from 'vitest';
import { type HostFunction, RillError } from '@rillkit/core';
import {
  createRuntimeContext,
  DEFAULT_LIMITS,
  execute,
  parse,
  type RuntimeContext,
  type RuntimeOptions,
} from '../../src/index.js';
import { failure, run } from './helpers.js';

const ok: HostFunction = { params: [], fn: () => 1 };

function invalid(options: RuntimeOptions): RillError {
  try {
    createRuntimeContext(options);
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('createRuntimeContext accepted invalid options');
}

describe('createRuntimeContext validation', () => {
  const cases: [string, RuntimeOptions][] = [
    ['a function name with a dash', { functions: { 'bad-name': ok } }],
    ['an empty namespace part', { functions: { 'kv::': ok } }],
    ['a leading digit', { functions: { '1fn': ok } }],
    ['a triple colon', { functions: { 'a:::b': ok } }],
    ['the built-in name log', { functions: { log: ok } }],
    ['the built-in name range', { functions: { range: ok } }],
    ['the built-in name parse_json', { functions: { parse_json: ok } }],
    ['a definition without fn', { functions: { f: { params: [] } as unknown as HostFunction } }],
    [
      'a definition without params',
      { functions: { f: { fn: () => 1 } as unknown as HostFunction } },
    ],
    [
      'an unknown param type',
      { functions: { f: { params: [{ name: 'x', type: 'int' as 'number' }], fn: () => 1 } } },
    ],
    [
      'a malformed param name',
      { functions: { f: { params: [{ name: 'a b', type: 'number' }], fn: () => 1 } } },
    ],
    [
      'a duplicate param name',
      {
        functions: {
          f: {
            params: [
              { name: 'x', type: 'number' },
              { name: 'x', type: 'number' },
            ],
            fn: () => 1,
          },
        },
      },
    ],
    [
      'a required param after an optional one',
      {
        functions: {
          f: {
            params: [
              { name: 'a', type: 'number', default: 1 },
              { name: 'b', type: 'number' },
            ],
            fn: () => 1,
          },
        },
      },
    ],
    [
      'a default of the wrong type',
      { functions: { f: { params: [{ name: 'a', type: 'number', default: 'x' }], fn: () => 1 } } },
    ],
    [
      'an unknown return type',
      { functions: { f: { params: [], fn: () => 1, returns: 'void' as 'any' } } },
    ],
    ['a variable name with a dash', { variables: { 'a-b': 1 } }],
    ['a variable name starting with $', { variables: { $a: 1 } }],
    ['a variable holding null', { variables: { a: null } }],
    ['a variable holding undefined', { variables: { a: undefined } }],
    ['a variable holding a function', { variables: { a: () => 1 } }],
    ['a variable holding a class instance', { variables: { a: new Date() } }],
    ['iterations 0', { limits: { iterations: 0 } }],
    ['iterations 1.5', { limits: { iterations: 1.5 } }],
    ['a negative call depth', { limits: { callDepth: -1 } }],
    ['concurrency NaN', { limits: { concurrency: Number.NaN } }],
    ['a zero timeout', { timeout: 0 }],
    ['a negative timeout', { timeout: -5 }],
    ['a NaN timeout', { timeout: Number.NaN }],
    ['a signal that is not an AbortSignal', { signal: {} as AbortSignal }],
    ['an onLog that is not a function', { callbacks: { onLog: 5 as unknown as () => void } }],
    [
      'an onHostCall that is not a function',
      { observability: { onHostCall: 'x' as unknown as () => void } },
    ],
    ['a misspelt option (limit)', { limit: { iterations: 5 } } as RuntimeOptions],
    ['a misspelt limit (iteration)', { limits: { iteration: 5 } } as RuntimeOptions],
    ['a misspelt callback (onlog)', { callbacks: { onlog: () => undefined } } as RuntimeOptions],
    [
      'a misspelt hook (onHostCalls)',
      { observability: { onHostCalls: () => undefined } } as RuntimeOptions,
    ],
    ['limits that are not an object', { limits: 5 } as unknown as RuntimeOptions],
    ['options that are not an object', 'functions' as unknown as RuntimeOptions],
  ];
  it.each(cases)('rejects %s with HOST_INVALID_DEFINITION', (_label, options) => {
    expect(invalid(options).code).toBe('HOST_INVALID_DEFINITION');
  });

  it('names the unknown option in the error details', () => {
    expect(invalid({ limits: { iteration: 5 } } as RuntimeOptions).details).toEqual({
      option: 'limits.iteration',
    });
    expect(invalid({ timeOut: 5 } as RuntimeOptions).details).toEqual({ option: 'timeOut' });
  });

  it('accepts namespaced names, optional params and converted variables', async () => {
    const options: RuntimeOptions = {
      functions: {
        'a::b::c': {
          params: [{ name: 'x', type: 'number', default: 2 }],
          fn: ([x]) => (x as number) * 10,
        },
        snake_case_1: ok,
      },
      variables: { list: [1, { k: 'v' }], _private: true },
    };
    expect(await run('a::b::c() + a::b::c(3) + snake_case_1()', options)).toBe(51);
    expect(await run('$list[1].k', options)).toBe('v');
    expect(createRuntimeContext(options).variables.get('_private')).toBe(true);
  });

  it('uses the documented default limits', () => {
    const ctx = createRuntimeContext();
    expect(ctx.limits).toEqual({
      iterations: 10_000,
      steps: 10_000_000,
      memory: 64 * 1024 * 1024,
      depth: 1000,
      callDepth: 200,
      concurrency: 16,
    });
    expect(DEFAULT_LIMITS).toEqual(ctx.limits);
  });

  it('execute rejects a context that createRuntimeContext did not make', async () => {
    const fake = { ...createRuntimeContext() } as RuntimeContext;
    const error = await failure(execute(parse('1'), fake));
    expect(error.code).toBe('HOST_INVALID_DEFINITION');
  });

  it('runs many scripts, also concurrently, on one context', async () => {
    const ctx = createRuntimeContext({
      functions: {
        later: {
          params: [{ name: 'v', type: 'any' }],
          fn: async ([v]) => {
            await new Promise((r) => setTimeout(r, 5));
            return v as number;
          },
        },
      },
    });
    const script = parse('$x -> later -> ($ * 2) => $y\n$y');
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((x) =>
        execute(parse(`${x} => $x\n$x -> later -> ($ * 2) => $y\n$y`), ctx).then((r) => r.result),
      ),
    );
    expect(results).toEqual([2, 4, 6, 8, 10]);
    // Captures of one run never leak into the next.
    expect((await failure(execute(script, ctx))).code).toBe('EVAL_UNDEFINED_VARIABLE');
  });

  it('host variables are readable, re-bindable only at top level', async () => {
    const options: RuntimeOptions = { variables: { name: 'alice', items: [1, 2] } };
    expect(await run('"hi {$name}, {$items.len}"', options)).toBe('hi alice, 2');
    expect(await run('"bob" => $name\n$name', options)).toBe('bob');
    expect((await failure(run('[1] -> each { "x" => $name }', options))).code).toBe(
      'EVAL_OUTER_REBIND',
    );
    // A re-bind in one run does not change the context's variables.
    const ctx = createRuntimeContext(options);
    await execute(parse('"bob" => $name'), ctx);
    expect((await execute(parse('$name'), ctx)).result).toBe('alice');
  });
});
