import { describe, expect, it } from 'vitest';
import { createRuntimeContext, execute } from '../../src/index.js';
import type { ExpressionNode, ScriptNode } from '../../src/index.js';

const sp = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 1, line: 1, column: 2 } };
const n = (value: number): ExpressionNode => ({ type: 'Number', value, span: sp });
const pv: ExpressionNode = { type: 'PipeValue', implicit: false, span: sp };
const bin = (operator: any, left: ExpressionNode, right: ExpressionNode): ExpressionNode => ({ type: 'Binary', operator, left, right, span: sp });
const script = (...statements: ExpressionNode[]): ScriptNode => ({ type: 'Script', statements, source: { name: 't', text: 'x' }, span: sp });

describe('scratch', () => {
  it('loop', async () => {
    const loop = script({
      type: 'Pipe', span: sp, head: n(0),
      steps: [{ type: 'PipeStep', span: sp, target: { type: 'While', span: sp, condition: bin('<', pv, n(100000)), body: { type: 'Block', span: sp, statements: [bin('+', pv, n(1))] } } }],
    });
    const ctx = createRuntimeContext({ limits: { iterations: 200000 } });
    expect((await execute(loop, ctx)).result).toBe(100000);
    for (let k = 0; k < 30; k++) await execute(loop, ctx);
    const t = performance.now();
    for (let k = 0; k < 50; k++) await execute(loop, ctx);
    console.log('per run ms', (performance.now() - t) / 50);
  });
});
