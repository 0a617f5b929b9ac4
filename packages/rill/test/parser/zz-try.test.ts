import { test } from 'vitest';
import { ast } from './sexpr.js';
import { RillError } from '@rillkit/core';
const srcs = process.env.SRCS!.split('\n@@\n');
test('try', () => {
  for (const s of srcs) {
    try { console.log(JSON.stringify(s), '=>\n   ', ast(s).replace(/\n/g, '\n    ')); }
    catch (e) { console.log(JSON.stringify(s), '=> ERR', RillError.is(e) ? `${e.code} ${e.span?.start.line}:${e.span?.start.column} ${e.message} ${JSON.stringify(e.details)}` : e); }
  }
});
