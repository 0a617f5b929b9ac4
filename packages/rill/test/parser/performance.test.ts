import { describe, expect, test } from 'vitest';
import { parse } from '../../src/parse.js';

/** A realistic script of about `lines` lines using most constructs. */
function script(lines: number): string {
  const out: string[] = [];
  for (let i = 0; out.length < lines; i += 1) {
    out.push(
      `# block ${i}`,
      `"item {${i}} of {$list -> .len}" => $label${i}`,
      `[a: ${i}, b: "x", c: [1, 2, 3]] -> each { "{$.key}={$.value}" } -> .join("&") => $joined${i}`,
      `$list -> map |x| ($x * 2 + ${i}) -> filter { $ > 3 } -> fold(0) { $@ + $ } => $sum${i}`,
      `($sum${i} > ${i}) ? "big" ! ($sum${i} < 0) ? "negative" ! "small"`,
      `0 -> ($ < 5) @ { $ + 1 }`,
      `"""`,
      `  report {${i}}: {$label${i} -> .upper}`,
      `"""`,
      `kv::get_or("user", "visits", 0) -> ($ + 1) => $n${i}`,
    );
  }
  return out.slice(0, lines).join('\n');
}

/** Best-of-`runs` CPU milliseconds for parsing `source` (CPU time shrugs off a busy machine). */
function cpuMs(source: string, runs = 3): number {
  let best = Infinity;
  for (let run = 0; run < runs; run += 1) {
    const start = process.cpuUsage();
    parse(source);
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

describe('performance', { timeout: 120_000 }, () => {
  test('a 5,000-line script parses', () => {
    const source = script(5000);
    const ast = parse(source);
    expect(ast.statements.length).toBeGreaterThan(3000);
    // Generous: a shared CI machine, not a benchmark. Typically well under a second.
    expect(cpuMs(source, 1)).toBeLessThan(10_000);
  });

  test('parse time grows linearly with script size', () => {
    cpuMs(script(500)); // warm up the JIT so the small run is not the slow one
    const small = cpuMs(script(1250));
    const large = cpuMs(script(5000));
    // 4x the input; quadratic work would take ~16x.
    expect(large / Math.max(small, 1)).toBeLessThan(9);
  });

  test('a very long single line and a very long string stay linear', () => {
    const longLine = `1${' -> ($ + 1)'.repeat(5_000)}`;
    const longString = `"${'x{$a}'.repeat(5_000)}"`;
    expect(cpuMs(longLine, 1)).toBeLessThan(5_000);
    expect(cpuMs(longString, 1)).toBeLessThan(5_000);
  });
});
