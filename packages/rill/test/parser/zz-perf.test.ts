import { test } from 'vitest';
import { parse } from '../../src/parse.js';
import { RillError } from '@rillkit/core';
const lines: string[] = [];
for (let i = 0; i < 1000; i++) {
  lines.push(`"item {${i}} -> {$x.name}" => $s${i}`);
  lines.push(`[a: ${i}, b: "x", c: [1, 2, 3]] -> each { "{$.key}={$.value}" } -> .join("&") => $j${i}`);
  lines.push(`$list -> map |x| ($x * 2 + ${i}) -> filter { $ > 3 } -> fold(0) { $@ + $ }`);
  lines.push(`($n > ${i}) ? "big" ! ($n < 0) ? "neg" ! "small"`);
  lines.push(`0 -> ($ < 5) @ { $ + 1 } # comment ${i}`);
}
const src = lines.join('\n');
test('perf', () => {
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    const s = parse(src);
    console.log('lines', lines.length, 'chars', src.length, 'ms', (performance.now() - t).toFixed(1), s.statements.length);
  }
  const tryIt = (name: string, s: string) => {
    try { parse(s); console.log(name, 'ok'); } catch (e) { console.log(name, RillError.is(e) ? e.code : e); }
  };
  for (const n of [30, 60, 63, 64, 200]) tryIt(`parens ${n}`, '('.repeat(n) + '1' + ')'.repeat(n));
  for (const n of [30, 63]) tryIt(`lists ${n}`, '['.repeat(n) + '1' + ']'.repeat(n));
  for (const n of [30, 63]) tryIt(`blocks ${n}`, '{'.repeat(n) + '1' + '}'.repeat(n));
  for (const n of [30, 63]) tryIt(`closures ${n}`, '|x| ('.repeat(n) + '1' + ')'.repeat(n));
  for (const n of [100, 1000, 10000]) tryIt(`bang ${n}`, '!'.repeat(n) + 'true');
  for (const n of [100, 1000, 10000]) tryIt(`else ${n}`, '$a ? 1 ! '.repeat(n) + '2');
  for (const n of [100, 1000, 10000]) tryIt(`then ${n}`, '$a ? '.repeat(n) + '2');
  for (const n of [10, 30, 60]) { let s = '1'; for (let i = 0; i < n; i++) s = `"{${s}}"`; tryIt(`strings ${n}`, s); }
  for (const n of [10, 30, 60]) { let s = '1'; for (let i = 0; i < n; i++) s = `"{(${s})}"`; tryIt(`strparens ${n}`, s); }
  for (const n of [1000, 100000]) tryIt(`pipe ${n}`, '1' + ' -> .a'.repeat(n));
  for (const n of [1000, 100000]) tryIt(`plus ${n}`, '1' + ' + 1'.repeat(n));
});
