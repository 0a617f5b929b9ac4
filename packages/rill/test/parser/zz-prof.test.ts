import { test } from 'vitest';
import { tokenize } from '../../src/lexer/lexer.js';
import { applyLineRules } from '../../src/lexer/line-rules.js';
import { rillParser } from '../../src/parser/parser.js';
import { AstBuilder } from '../../src/parser/to-ast.js';
const lines: string[] = [];
for (let i = 0; i < 1000; i++) {
  lines.push(`"item {${i}} -> {$x.name}" => $s${i}`);
  lines.push(`[a: ${i}, b: "x", c: [1, 2, 3]] -> each { "{$.key}={$.value}" } -> .join("&") => $j${i}`);
  lines.push(`$list -> map |x| ($x * 2 + ${i}) -> filter { $ > 3 } -> fold(0) { $@ + $ }`);
  lines.push(`($n > ${i}) ? "big" ! ($n < 0) ? "neg" ! "small"`);
  lines.push(`0 -> ($ < 5) @ { $ + 1 } # comment ${i}`);
}
const src = lines.join('\n');
test('prof', () => {
  const info = { name: 'x', text: src };
  for (let r = 0; r < 8; r++) {
    const cpu = () => process.cpuUsage().user / 1000; let t = cpu();
    const raw = tokenize(src, info);
    const t1 = cpu() - t; t = cpu();
    const toks = applyLineRules(raw, info);
    const t2 = cpu() - t; t = cpu();
    rillParser.input = toks;
    const cst = rillParser.script();
    const t3 = cpu() - t; t = cpu();
    const b = new AstBuilder(info, () => ({ type: 'Bool', value: true, span: { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } } }));
    b.visit(cst);
    const t4 = cpu() - t;
    console.log('lex', t1.toFixed(1), 'lines', t2.toFixed(1), 'parse', t3.toFixed(1), 'ast(no interp)', t4.toFixed(1), toks.length);
  }
}, 60000);
