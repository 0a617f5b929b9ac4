// Timing harness. Each case is measured as time per operation: warm up, then take several
// samples of at least `minSampleMs` each and keep the median, so one GC pause or a busy
// neighbour does not decide a figure. Ratios compare two cases measured in the same run.
import { performance } from 'node:perf_hooks';

const MIN_SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 200);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 5);

/**
 * Measure an async or sync function that performs `opsPerCall` operations per call.
 * Returns nanoseconds per operation (median of samples).
 */
export async function measure(fn, { opsPerCall = 1, samples = SAMPLES, minSampleMs = MIN_SAMPLE_MS } = {}) {
  // Warm-up: let the JIT settle and find how many calls fill one sample.
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    const dt = performance.now() - t0;
    if (dt >= minSampleMs / 4 || calls >= 1 << 24) {
      calls = Math.max(1, Math.ceil((calls * minSampleMs) / Math.max(dt, 0.001)));
      break;
    }
    calls *= 2;
  }
  const perOp = [];
  for (let s = 0; s < samples; s++) {
    globalThis.gc?.();
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    const dt = performance.now() - t0;
    perOp.push((dt * 1e6) / (calls * opsPerCall));
  }
  perOp.sort((a, b) => a - b);
  return perOp[Math.floor(perOp.length / 2)];
}

/**
 * Measure several cases in alternating rounds and keep each one's median, so a burst of
 * load from elsewhere on the machine hits every case alike instead of deciding one ratio.
 * `options` is passed to {@link measure} for every case.
 */
export async function measureRounds(cases, options, rounds = 3) {
  const results = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (const [i, fn] of cases.entries()) results[i].push(await measure(fn, options));
  }
  return results.map((xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]);
}

/**
 * Time several cases call by call in turn (A, B, C, A, B, C, ...) and return each one's
 * median in ns per operation. Every case meets the same moment's load from other processes,
 * so a burst elsewhere on the machine shifts all of them alike; suited to calls that take
 * tens of microseconds or more (network and disk round trips), where one call is measurable.
 */
export async function measureAlternating(cases, { calls = 1000, warmup = 200, opsPerCall = 1 } = {}) {
  for (let i = 0; i < warmup; i++) for (const fn of cases) await fn();
  const times = cases.map(() => new Float64Array(calls));
  for (let i = 0; i < calls; i++) {
    for (const [c, fn] of cases.entries()) {
      const t0 = performance.now();
      await fn();
      times[c][i] = performance.now() - t0;
    }
  }
  return times.map((xs) => (xs.sort()[calls >> 1] * 1e6) / opsPerCall);
}

/** Format nanoseconds per op for humans. */
export function formatNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(1)} ns`;
}

/** A result row: ours vs baseline, as a ratio (ours / baseline time; lower is better). */
export function ratioRow(suite, name, oursNs, baseNs, baseline, goal) {
  const ratio = oursNs / baseNs;
  return {
    suite,
    name,
    ours: formatNs(oursNs),
    baseline: `${formatNs(baseNs)} (${baseline})`,
    ratio: `${ratio.toFixed(2)}×`,
    goal: goal === undefined ? '' : `≤ ${goal}×`,
    met: goal === undefined ? '' : ratio <= goal ? 'yes' : 'NO',
  };
}

/** Render rows as a Markdown table. */
export function toMarkdown(rows, columns) {
  const head = `| ${columns.join(' | ')} |`;
  const rule = `|${columns.map(() => '---').join('|')}|`;
  const body = rows.map((r) => `| ${columns.map((c) => String(r[c] ?? '')).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}
