import { describe, expect, it } from 'vitest';
import { type HostFunction, RillError, type RillValue, toHostValue } from '@rillkit/core';
import { parse } from '../../src/index.js';
import { analyzeScript, isSync } from '../../src/runtime/analysis.js';
import { run } from './helpers.js';

// Each script is written with `ID(...)` markers. The sync variant replaces them with plain
// parentheses; the async variant with a call of the host identity function `id(...)`,
// which forces that part of the script onto the async evaluator. Both variants must give
// the same result or the same error code.
const id: HostFunction = { params: [{ name: 'v', type: 'any' }], fn: ([v]) => v as RillValue };

const SCRIPTS: readonly string[] = [
  '0 -> ($ < ID(50)) @ { $ + ID(1) }',
  '0 -> @ { ID($ + 2) } ? ($ < 9)',
  '0 -> (true) @ { ($ > ID(4)) ? break\n$ + 1 }',
  '0 -> (true) @ { ($ > 4) ? (ID($ * 100) -> break)\n$ + 1 }',
  '[1, 2, 3] -> map { ID($ * 2) } -> fold(0) { $@ + ID($) }',
  '[1, 2, 3, 4] -> each { ($ == ID(3)) ? break\n$ }',
  '[1, 2, 3, 4] -> map { ($ == ID(3)) ? break\n$ }',
  '[1, 2, 3, 4] -> filter { ($ == 4) ? break\nID($ > 1) }',
  '[1, 2, 3, 4] -> fold(10) { ($ == ID(3)) ? break\n$@ + $ }',
  '[1, 2, 3] -> each(0) { $@ + ID($) }',
  '[a: 1, b: 2] -> each { "{$.key}={ID($.value)}" } -> .join("&")',
  '"héllo" -> map { ID($).upper } -> .join("")',
  '[1, 2] -> map |x| ($x + ID(1))',
  '[1, 2] -> map |x| { ($x == ID(2)) ? break\n$x }',
  '|x, y = ID(10)| ($x + $y) => $add\n$add(5)',
  '|n| { ($n < 1) ? 0 ! ($n + ID($n - 1)) } => $f\n$f(4)',
  '|x| { ($x > ID(1)) ? ("big" -> return)\n"small" } => $f\n[$f(1), $f(2)]',
  '1 -> { ID($) -> return }\n2',
  'ID([a: [b: 1]]) => $d\n[$d.a.b ?? 0, $d.a.c ?? 0, $d.x.y ?? "none", $d.?a]',
  'ID([1, 2]) => $l\n[$l[-1], $l[5] ?? "none", $l[0] ?? 9]',
  'ID($nope) ?? 1',
  'ID([a: 1]).a.b ?? 2',
  'ID(5) / 0',
  'ID("5") + 1',
  'ID(1) -> ? "a" ! "b"',
  'ID(true) ? "yes"',
  '(ID(2) > 1) && ID("x")',
  'ID([1]) -> each { ID(2) => $outer }\n$outer',
  '1 => $x\n[1] -> each { ID(2) => $x }',
  '[1] -> each { ID(2) => $local\n$local => $local\n$local }',
  '"42" -> :>number -> ($ + ID(1))',
  'ID("4x") -> :>number',
  'ID([a: 1]) -> :>list -> :>dict -> .keys',
  'ID(1) -> assert ($ > 0) "must be positive"',
  'ID(1) -> assert ($ > 5) "must be big"',
  'error ID("stop")',
  'ID(3) -> break',
  '"x" -> ID($.upper) -> .len',
  'ID("a,b") -> .split(",") -> .at(ID(-1))',
  'range(0, ID(5)) -> filter { ($ % 2) == 0 }',
  '{ $ + ID(1) } => $inc\n5 -> $inc()',
  'ID(5) -> { $ + 1 } -> { $ * 2 }',
  'type(ID(|x| $x))',
  'json(ID([a: [1, true, "x"]])) -> parse_json -> .a',
];

type Outcome = { value: unknown } | { code: string };

async function outcome(source: string): Promise<Outcome> {
  try {
    return {
      value: toHostValue(await run(source, { functions: { id }, limits: { iterations: 1000 } })),
    };
  } catch (error) {
    if (!RillError.is(error)) throw error;
    return { code: error.code };
  }
}

function isFullySync(source: string): boolean {
  const script = parse(source);
  analyzeScript(script);
  return isSync(script);
}

describe('sync and async evaluation agree', () => {
  it.each(SCRIPTS)('%s', async (template) => {
    const sync = template.replaceAll('ID(', '(');
    const async = template.replaceAll('ID(', 'id(');
    const expected = await outcome(sync);
    expect(await outcome(async)).toEqual(expected);
  });

  it('host-call-free scripts take the synchronous path, others do not', () => {
    expect(isFullySync('0 -> ($ < 100) @ { $ + 1 }')).toBe(true);
    expect(isFullySync('[1, 2] -> map |x| ($x * 2) -> fold(0) { $@ + $ } => $t\n"{$t}".len')).toBe(
      true,
    );
    expect(isFullySync('|x| (id($x)) => $f')).toBe(true); // defining a closure calls nothing
    expect(isFullySync('0 -> ($ < 100) @ { id($) + 1 }')).toBe(false);
    expect(isFullySync('$f(1)')).toBe(false);
    expect(isFullySync('[1] -> map $f')).toBe(false);
  });
});
