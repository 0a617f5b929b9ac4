// Interpreter benchmarks: parse throughput, and evaluation of four workloads each as a
// ratio against the same work written as plain JavaScript in the same run.
import { createRuntimeContext, execute, parse } from '@rillkit/rill';
import { measure, ratioRow } from '../harness.mjs';
import { generateScript } from './generate-script.mjs';
import { naiveEvaluate } from './naive-walker.mjs';

export async function runInterpreterSuite() {
  const rows = [];
  const notes = [];

  // (1) Parse throughput on a generated script that uses every construct.
  const source = generateScript(5000);
  const lines = source.split('\n').length;
  const bytes = Buffer.byteLength(source);
  parse(source, { name: 'generated.rill' }); // must parse before it is timed
  const parseNs = await measure(() => parse(source, { name: 'generated.rill' }), { samples: 5 });
  const seconds = parseNs / 1e9;
  notes.push(
    `Parse: ${lines} lines, ${(bytes / 1024).toFixed(0)} KiB in ${(parseNs / 1e6).toFixed(1)} ms → ` +
      `${(bytes / 1e6 / seconds).toFixed(2)} MB/s, ${Math.round(lines / seconds).toLocaleString('en-US')} lines/s`,
  );
  const parseJsonBase = JSON.stringify({ source });
  const jsonNs = await measure(() => JSON.parse(parseJsonBase), { samples: 5 });
  rows.push(ratioRow('interpreter', 'parse ~5,000-line script', parseNs, jsonNs, 'JSON.parse of the same bytes as a string'));

  // (2a) Arithmetic while loop to 100,000.
  const loopAst = parse('0 -> ($ < 100000) @ { $ + 1 }');
  const loopCtx = createRuntimeContext({ limits: { iterations: 200_000 } });
  await expectResult(loopAst, loopCtx, 100000);
  const loopNs = await measure(() => execute(loopAst, loopCtx));
  const jsLoop = (n) => {
    let x = 0;
    while (x < n) x = x + 1;
    return x;
  };
  const jsLoopNs = await measure(() => jsLoop(100000 + (Math.random() < 2 ? 0 : 1)));
  rows.push(ratioRow('interpreter', 'while loop to 100,000', loopNs, jsLoopNs, 'plain JS while', 50));
  const naiveNs = await measure(() => naiveEvaluate(loopAst));
  rows.push(ratioRow('interpreter', 'while loop to 100,000 (vs naive await-per-node walker)', loopNs, naiveNs, 'naive async tree walker', 1));

  // (2b) map/filter/fold over 10,000 numbers.
  const nums = Array.from({ length: 10_000 }, (_, i) => i);
  const pipeAst = parse('$nums -> map { $ * 2 } -> filter { ($ % 3) == 0 } -> fold(0) { $@ + $ }');
  const pipeCtx = createRuntimeContext({ variables: { nums }, limits: { iterations: 20_000 } });
  const jsPipe = (xs) => xs.map((x) => x * 2).filter((x) => x % 3 === 0).reduce((a, x) => a + x, 0);
  await expectResult(pipeAst, pipeCtx, jsPipe(nums));
  const pipeNs = await measure(() => execute(pipeAst, pipeCtx));
  const jsPipeNs = await measure(() => jsPipe(nums));
  rows.push(ratioRow('interpreter', 'map/filter/fold over 10,000 numbers', pipeNs, jsPipeNs, 'Array map/filter/reduce'));

  // (2c) 10,000 string interpolations with methods.
  const strAst = parse('range(0, 10000) -> fold(0) { $@ + "user {$} of {$team}".upper.trim.len }');
  const strCtx = createRuntimeContext({ variables: { team: ' rillkit ' }, limits: { iterations: 20_000 } });
  const jsStr = (team) => {
    let acc = 0;
    for (let i = 0; i < 10000; i++) acc += `user ${i} of ${team}`.toUpperCase().trim().length;
    return acc;
  };
  await expectResult(strAst, strCtx, jsStr(' rillkit '));
  const strNs = await measure(() => execute(strAst, strCtx));
  const jsStrNs = await measure(() => jsStr(' rillkit '));
  rows.push(ratioRow('interpreter', '10,000 interpolations + methods', strNs, jsStrNs, 'template literals'));

  // (2d) 10,000 host calls.
  const double = { params: [{ name: 'n', type: 'number' }], fn: ([n]) => n * 2 };
  const hostAst = parse('range(0, 10000) -> fold(0) { $@ + double($) }');
  const hostCtx = createRuntimeContext({ functions: { double }, limits: { iterations: 20_000 } });
  const hostCallCtx = { name: 'double', signal: new AbortController().signal, span: undefined, invoke: async () => 0 };
  const jsHost = async () => {
    let acc = 0;
    for (let i = 0; i < 10000; i++) acc += await double.fn([i], hostCallCtx);
    return acc;
  };
  await expectResult(hostAst, hostCtx, await jsHost());
  const hostNs = await measure(() => execute(hostAst, hostCtx));
  const jsHostNs = await measure(jsHost);
  rows.push(ratioRow('interpreter', '10,000 host calls', hostNs, jsHostNs, 'awaited direct calls'));

  return { rows, notes };
}

async function expectResult(ast, ctx, expected) {
  const { result } = await execute(ast, ctx);
  if (result !== expected) throw new Error(`benchmark script returned ${String(result)}, expected ${expected}`);
}
