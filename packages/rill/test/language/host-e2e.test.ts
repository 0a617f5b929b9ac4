import { describe, expect, it } from 'vitest';
import { type RillValue, RillError, toHostValue } from '@rillkit/core';
import { check, fails, runError, runValue, table } from './run.js';
import { InFlight, createKvTestHost, createTestHost } from './test-host.js';

// LANGUAGE.md §9, verbatim (each comment there is the script's result).
describe('LANGUAGE.md §9 examples, verbatim', () => {
  table([
    ['"  hello world  " -> .trim -> .split(" ") -> .len          # 2', 2],
    ['[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }          # 12', 12],
    ['"alice" => $name\n"Hello, {$name}!"                                           # "Hello, alice!"', 'Hello, alice!'],
    ['[a: 1, b: 2] -> each { "{$.key}={$.value}" } -> .join("&")  # "a=1&b=2"', 'a=1&b=2'],
    ['0 -> ($ < 5) @ { $ + 1 }                                    # 5', 5],
    ['|x, y = 10| ($x + $y) => $add\n$add(5)                                                     # 15', 15],
    ['(3 > 2) ? "big" ! "small"                                   # "big"', 'big'],
  ]);

  const kvExample = [
    'kv::get_or("user", "visits", 0) -> ($ + 1) => $n',
    'kv::set("user", "visits", $n)',
    '"visit {$n}"                                                # "visit 1" on a fresh store',
  ].join('\n');

  it('kv example: "visit 1" on a fresh store, then counts up on the same store', async () => {
    const { functions, store } = createKvTestHost();
    expect(toHostValue(await runValue(kvExample, { functions }))).toBe('visit 1');
    expect(toHostValue(await runValue(kvExample, { functions }))).toBe('visit 2');
    expect(store.size).toBe(1);
  });

  it('the whole §9 block as one script yields the last result', async () => {
    const whole = [
      '"  hello world  " -> .trim -> .split(" ") -> .len          # 2',
      '[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }          # 12',
      '"alice" => $name',
      '"Hello, {$name}!"                                           # "Hello, alice!"',
      '[a: 1, b: 2] -> each { "{$.key}={$.value}" } -> .join("&")  # "a=1&b=2"',
      '0 -> ($ < 5) @ { $ + 1 }                                    # 5',
      '|x, y = 10| ($x + $y) => $add',
      '$add(5)                                                     # 15',
      '(3 > 2) ? "big" ! "small"                                   # "big"',
      kvExample,
    ].join('\n');
    const { functions } = createKvTestHost();
    expect(toHostValue(await runValue(whole, { functions }))).toBe('visit 1');
  });
});

describe('host function calls', () => {
  const functions = createTestHost();
  table(
    [
      // Namespaced names.
      ['str::shout("hi")', 'HI!'],
      ['math::add(2, 3)', 5],
      ['a::b::c()', 'called a::b::c'],
      ['5 -> a::b::c', fails('HOST_ARGUMENT_COUNT')],
      // A bare name where no $ is bound (a top-level statement) is called without arguments.
      ['a::b::c', 'called a::b::c'],
      ['greet', 'hello world'],
      ['str::shout', fails('HOST_ARGUMENT_COUNT')],
      // Defaults are filled in; fn always gets one argument per param.
      ['greet()', 'hello world'],
      ['greet("amy")', 'hello amy'],
      ['args(1)', [1, 'dflt']],
      ['args(1, 2)', [1, 2]],
      // Bare callable: $ is the single argument.
      ['"bob" -> greet', 'hello bob'],
      ['"bob" -> str::shout', 'BOB!'],
      ['5 -> args', [5, 'dflt']],
      // Empty parens: $ is inserted only when the function has a required parameter.
      ['"bob" -> greet()', 'hello world'],
      ['"bob" -> str::shout()', 'BOB!'],
      ['"bob" -> args()', ['bob', 'dflt']],
      ['5 -> a::b::c()', 'called a::b::c'],
      // Explicit arguments: no insertion.
      ['"bob" -> str::shout("x")', 'X!'],
      ['5 -> math::add(1, 2)', 3],
      ['"bob" -> greet("amy")', 'hello amy'],
      // Results are converted to rill values (plain objects become dicts, order kept).
      ['make_user().address.city', 'Oslo'],
      ['make_user() -> .keys', ['name', 'tags', 'address']],
      ['make_user().tags', ['x', 'y']],
      // Host calls inside strings, lists, conditions and loops.
      ['"<{str::shout("a")}>"', '<A!>'],
      ['[greet(), greet("x")]', ['hello world', 'hello x']],
      ['(math::add(1, 1) == 2) ? "ok" ! "no"', 'ok'],
      ['0 -> ($ < 10) @ { math::add($, 3) }', 12],
      ['[1, 2, 3] -> fold(0) { math::add($@, $) }', 6],
      ['["a", "b"] -> map { str::shout($) }', ['A!', 'B!']],
      ['["a", "b"] -> each { str::shout() }', ['A!', 'B!']],
      // Argument errors.
      ['math::add(1)', fails('HOST_ARGUMENT_COUNT', { line: 1, column: 1 })],
      ['math::add(1, 2, 3)', fails('HOST_ARGUMENT_COUNT')],
      ['5 -> math::add()', fails('HOST_ARGUMENT_COUNT')],
      ['5 -> math::add', fails('HOST_ARGUMENT_COUNT')],
      ['greet(1, 2)', fails('HOST_ARGUMENT_COUNT')],
      [
        'math::add("1", 2)',
        fails('HOST_ARGUMENT_TYPE', {
          details: { name: 'math::add', param: 'a', expected: 'number', actual: 'string' },
        }),
      ],
      ['1\nmath::add(1, [2])', fails('HOST_ARGUMENT_TYPE', { line: 2, column: 1, details: { param: 'b', actual: 'list' } })],
      ['greet(true)', fails('HOST_ARGUMENT_TYPE')],
      ['str::shot("a")', fails('EVAL_UNKNOWN_FUNCTION', { details: { name: 'str::shot', suggestion: 'str::shout' } })],
      ['gret()', fails('EVAL_UNKNOWN_FUNCTION', { details: { suggestion: 'greet' } })],
      ['math::sub(1, 2)', fails('EVAL_UNKNOWN_FUNCTION', { details: { name: 'math::sub' } })],
    ],
    { functions },
  );
});

describe('host function failures', () => {
  const functions = createTestHost();
  table(
    [
      ['bad::undefined()', fails('HOST_INVALID_RETURN', { line: 1, column: 1 })],
      ['bad::null()', fails('HOST_INVALID_RETURN')],
      ['bad::function()', fails('HOST_INVALID_RETURN')],
      ['bad::nested_undefined()', fails('HOST_INVALID_RETURN')],
      ['bad::returns()', fails('HOST_INVALID_RETURN')],
      ['1\n  bad::throws()', fails('HOST_FUNCTION_FAILED', { line: 2, column: 3 })],
      ['bad::rejects()', fails('HOST_FUNCTION_FAILED')],
      // A RillError thrown by the host keeps its code and gains the call's location.
      ['1\n\nbad::rill()', fails('KV_READ_ONLY', { line: 3, column: 1, details: { mount: 'cfg' } })],
      ['[1, 2] -> map { bad::throws() }', fails('HOST_FUNCTION_FAILED')],
    ],
    { functions },
  );

  it('keeps the original exception as cause', async () => {
    const error = await runError('bad::throws()', { functions });
    expect(error.code).toBe('HOST_FUNCTION_FAILED');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it('reports where in the script a host error happened, with the source', async () => {
    const error = await runError('"a"\n-> str::shout\n-> bad::rill()', { functions, name: 'job.rill' });
    expect(error.span?.start.line).toBe(3);
    expect(error.source?.name).toBe('job.rill');
    expect(error.source?.text).toBe('"a"\n-> str::shout\n-> bad::rill()');
  });
});

describe('closures passed to host functions (ctx.invoke)', () => {
  const functions = createTestHost();
  table(
    [
      ['apply(|x| ($x * 2), 21)', 42],
      ['apply({ $ + 1 }, 1)', 2],
      ['10 => $n\napply(|x| ($x + $n), 1)', 11],
      ['|s| "<{$s}>" => $wrap\napply($wrap, "a")', '<a>'],
      ['apply_each([1, 2, 3], |x| ($x * $x))', [1, 4, 9]],
      ['apply_each(["a"], |x| str::shout($x))', ['A!']],
      ['apply(|x| apply(|y| ($y + 1), $x), 1)', 2],
      // Closures round-trip through the host unchanged.
      ['identity(|x| ($x + 100)) => $g\n$g(1)', 101],
      ['|x| $x => $f\nidentity($f) == $f', true],
      ['is_closure({ 1 })', true],
      // Errors inside the invoked closure keep their code.
      ['apply(|x| ($x / 0), 1)', fails('EVAL_DIVISION_BY_ZERO')],
      ['apply(|x| $nope, 1)', fails('EVAL_UNDEFINED_VARIABLE')],
      ['apply(|x, y| $x, 1)', fails('EVAL_ARGUMENT_COUNT')],
      ['apply(|x: string| $x, 1)', fails('EVAL_ARGUMENT_TYPE')],
      ['apply(5, 1)', fails('HOST_ARGUMENT_TYPE')],
      // The script's limits apply inside invoked closures.
      ['apply(|x| ($x -> (true) @ { $ + 1 }), 0)', fails('LIMIT_ITERATIONS')],
      ['|n| apply($f, $n) => $f\n$f(0)', fails('LIMIT_CALL_DEPTH'), { limits: { callDepth: 20 } }],
    ],
    { functions },
  );
});

describe('map with host calls', () => {
  it('runs host calls concurrently and keeps input order', async () => {
    const inFlight = new InFlight();
    const functions = createTestHost(inFlight);
    await check('[30, 5, 15, 1] -> map { delay($, "v{$}") }', ['v30', 'v5', 'v15', 'v1'], { functions });
    expect(inFlight.max).toBeGreaterThan(1);
  });

  it('caps concurrency at 16 by default', async () => {
    const inFlight = new InFlight();
    const functions = createTestHost(inFlight);
    const result = await runValue('range(0, 40) -> map { delay(5, $) }', { functions });
    expect(toHostValue(result)).toEqual([...Array(40).keys()]);
    expect(inFlight.max).toBe(16);
  });

  it('honours limits.concurrency', async () => {
    const inFlight = new InFlight();
    const functions = createTestHost(inFlight);
    const result = await runValue('range(0, 10) -> map { delay(2, $) }', { functions, limits: { concurrency: 2 } });
    expect(toHostValue(result)).toEqual([...Array(10).keys()]);
    expect(inFlight.max).toBe(2);
  });

  it('filter is concurrent too', async () => {
    const inFlight = new InFlight();
    const functions = createTestHost(inFlight);
    await check('[1, 2, 3, 4] -> filter { delay(10, $ % 2 == 0) }', [2, 4], { functions });
    expect(inFlight.max).toBeGreaterThan(1);
  });

  it('each and fold are sequential', async () => {
    const inFlight = new InFlight();
    const functions = createTestHost(inFlight);
    await check('[3, 1, 2] -> each { delay($, $) }', [3, 1, 2], { functions });
    await check('[3, 1, 2] -> fold(0) { delay($, $@ + $) }', 6, { functions });
    expect(inFlight.max).toBe(1);
  });

  it('an error in one map body fails the whole map', async () => {
    const functions = createTestHost();
    const error = await runError('[1, 2, 3] -> map { ($ == 2) ? bad::throws() ! delay(5, $) }', { functions });
    expect(error.code).toBe('HOST_FUNCTION_FAILED');
  });
});

describe('host variables and observability', () => {
  it('exposes host variables, converted to rill values', async () => {
    await check('$cfg.retries + 1', 4, { variables: { cfg: { retries: 3 } } });
    await check('$items -> map { $ * 2 }', [2, 4], { variables: { items: [1, 2] } });
  });

  it('reports host calls and returns to the observers', async () => {
    const calls: { name: string; args: unknown }[] = [];
    const returns: { name: string; value: unknown }[] = [];
    await runValue('math::add(1, 2) -> str::shout("x")', {
      functions: createTestHost(),
      observability: {
        onHostCall: (e) => calls.push({ name: e.name, args: toHostValue(e.args as unknown as RillValue) }),
        onHostReturn: (e) => returns.push({ name: e.name, value: toHostValue(e.value) }),
      },
    });
    expect(calls).toEqual([
      { name: 'math::add', args: [1, 2] },
      { name: 'str::shout', args: ['x'] },
    ]);
    expect(returns).toEqual([
      { name: 'math::add', value: 3 },
      { name: 'str::shout', value: 'X!' },
    ]);
  });

  it('a throwing observer does not break the script', async () => {
    await check('math::add(1, 2)', 3, {
      functions: createTestHost(),
      observability: {
        onHostCall: () => {
          throw new Error('observer bug');
        },
      },
    });
  });
});

describe('timeouts and aborts', () => {
  const functions = createTestHost();

  it('a never-resolving host call times out', async () => {
    const started = Date.now();
    await check('hang()', fails('LIMIT_TIMEOUT'), { functions, timeout: 50 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a long synchronous loop times out', async () => {
    const started = Date.now();
    await check('0 -> (true) @ { $ + 1 }', fails('LIMIT_TIMEOUT'), { timeout: 50, limits: { iterations: 1e9 } });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('aborting the signal stops a hung host call', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await check('hang()', fails('LIMIT_ABORTED'), { functions, signal: controller.signal });
  });

  it('aborting the signal stops a loop of host calls', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await check('0 -> (true) @ { delay(1, $ + 1) }', fails('LIMIT_ABORTED'), {
      functions,
      signal: controller.signal,
      limits: { iterations: 1e9 },
    });
  });

  it('a pre-aborted signal fails before running anything', async () => {
    const controller = new AbortController();
    controller.abort();
    const calls: string[] = [];
    await check('greet()', fails('LIMIT_ABORTED'), {
      functions,
      signal: controller.signal,
      observability: { onHostCall: (e) => calls.push(e.name) },
    });
    expect(calls).toEqual([]);
  });

  it('host functions receive an AbortSignal that fires on timeout', async () => {
    let seen: AbortSignal | undefined;
    const error = await runError('watch()', {
      timeout: 30,
      functions: {
        watch: {
          params: [],
          fn: (_args, ctx) => {
            seen = ctx.signal;
            return new Promise(() => undefined);
          },
        },
      },
    });
    expect(error.code).toBe('LIMIT_TIMEOUT');
    expect(seen?.aborted).toBe(true);
  });
});

describe('invalid host definitions', () => {
  const ok = { params: [], fn: () => 1 };
  table([
    ['1', fails('HOST_INVALID_DEFINITION'), { functions: { 'bad name': ok } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { functions: { 'ns::': ok } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { functions: { log: ok } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { functions: { range: ok } }],
    [
      '1',
      fails('HOST_INVALID_DEFINITION'),
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
    ['1', fails('HOST_INVALID_DEFINITION'), { functions: { f: { params: [{ name: 'a', type: 'number', default: 'x' }], fn: () => 1 } } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { functions: { f: { params: [{ name: 'a', type: 'nosuch' as never }], fn: () => 1 } } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { variables: { '1x': 1 } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { variables: { 'a-b': 1 } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { limits: { iterations: 0 } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { limits: { callDepth: -1 } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { limits: { iterations: 1.5 } }],
    ['1', fails('HOST_INVALID_DEFINITION'), { timeout: 0 }],
  ]);

  it('a variable that is not a rill value is rejected up front', async () => {
    const error = await runError('1', { variables: { v: undefined } });
    expect(RillError.is(error)).toBe(true);
    expect(['HOST_INVALID_DEFINITION', 'HOST_INVALID_RETURN']).toContain(error.code);
  });
});
