import { it } from 'vitest';
import { formatValue } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../src/index.js';
import { readFileSync } from 'node:fs';
it('probe', async () => {
  const srcs: string[] = JSON.parse(readFileSync('/tmp/probe.json', 'utf8'));
  const out: string[] = [];
  for (const s of srcs) {
    try { const r = await execute(parse(s), createRuntimeContext({})); out.push(`${JSON.stringify(s.slice(0,80))} => ${formatValue(r.result)}`); }
    catch (e: any) { out.push(`${JSON.stringify(s.slice(0,80))} !! ${e.code} ${e.span ? `${e.span.start.line}:${e.span.start.column}` : ''} ${e.message}`); }
  }
  console.log(out.join('\n'));
}, 60000);
