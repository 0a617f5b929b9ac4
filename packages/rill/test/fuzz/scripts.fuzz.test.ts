/**
 * The sandbox holds: no script can crash the host. Mutants of the seed scripts (examples,
 * docs, language tests) run with a memory kv mount and a local fs mount, and each must end in
 * a result or a RillError with a registered code other than EVAL_INTERNAL — no raw
 * exception, no hang, no out-of-memory, no file written outside the mount.
 *
 * Environment:
 * - `RILL_FUZZ_SECONDS` (default 30): time budget of the whole file (seed pass + mutant runs).
 * - `RILL_FUZZ_SEED` (default fixed): fast-check seed; with `RILL_FUZZ_PATH`, replays a failure.
 * - `RILL_FUZZ_HEAVY` = `auto` (default) | `on` | `off`: also insert the work and memory bombs
 *   of mutations.ts. `auto` turns them on once createRuntimeContext accepts limits.memory,
 *   limits.steps and limits.depth; without those limits they exhaust memory or run for ever.
 * - `RILL_FUZZ_STRICT=1`: fail on the open failure classes of reproducers.json too.
 * - `RILL_FUZZ_HUNT=<file>`: do not stop at a failure; minimize each new failure class and
 *   append it to `<file>` (JSON lines), then go on. For finding bugs, not for CI.
 */
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReproducers } from './known.js';
import { minimize } from './minimize.js';
import { mutantArbitrary, type Weight } from './mutations.js';
import { type Outcome, Sandbox, isContained, signature } from './sandbox.js';
import { collectSeeds } from './seeds.js';

const SECONDS = Number(process.env['RILL_FUZZ_SECONDS'] ?? 30);
const SEED = Number(process.env['RILL_FUZZ_SEED'] ?? 20_261_207);
const PATH = process.env['RILL_FUZZ_PATH'];
const HEAVY = process.env['RILL_FUZZ_HEAVY'] ?? 'auto';
const STRICT = process.env['RILL_FUZZ_STRICT'] === '1';
const HUNT = process.env['RILL_FUZZ_HUNT'];

/** What each run may cost: the context timeout, and the wall clock past which it is a hang. */
const TIMEOUT_MS = 1_000;
const HANG_MS = 10_000;
/** The worker's heap, and the most the whole test process may take. */
const WORKER_HEAP_MB = 384;
const MAX_RSS = 1.5 * 1024 ** 3;
/** The limits whose presence lets `auto` turn the heavy fragments on. */
const HEAVY_NEEDS = ['memory', 'steps', 'depth'];

/** vitest's per-test timeout: the budget plus room for shrinking (or hunting). */
const TEST_MS = HUNT === undefined ? SECONDS * 1000 + 120_000 : 24 * 3600_000;

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url));

/** Newest modification time of the files below `dir`. */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return latest;
}

const seeds = collectSeeds();
const tolerated = new Set(
  STRICT ? [] : loadReproducers().filter((r) => r.status === 'open').map((r) => r.signature),
);
let sandbox: Sandbox;
/** Seconds the seed pass took; the mutant runs share what is left of the budget. */
let seedSeconds = 0;
const mutantSeconds = (): number => Math.max(1, SECONDS - seedSeconds);

beforeAll(async () => {
  // The worker runs the built package (see worker.mjs); fuzzing stale code would mislead.
  const built = statSync(join(PACKAGE, 'dist', 'index.js'), { throwIfNoEntry: false });
  if (built === undefined || built.mtimeMs < newest(join(PACKAGE, 'src'))) {
    throw new Error('packages/rill/dist is missing or older than src: run `pnpm build` first');
  }
  sandbox = new Sandbox({ timeout: TIMEOUT_MS, hangAfter: HANG_MS, heapMb: WORKER_HEAP_MB });
  // Starts the worker, which reports the limits the interpreter accepts.
  await sandbox.run('1');
});

afterAll(async () => {
  await sandbox?.close();
});

function describeOutcome(outcome: Outcome): string {
  return JSON.stringify(outcome, null, 2);
}

/** A failure we are not told to tolerate: the sandbox did not hold. */
function isFailure(outcome: Outcome): boolean {
  return !isContained(outcome) && !tolerated.has(signature(outcome));
}

/** Hunt mode: record each new failure class, minimized, and carry on. */
async function record(script: string, outcome: Outcome, file: string): Promise<void> {
  const sig = signature(outcome);
  tolerated.add(sig);
  const small = await minimize(script, async (candidate) => signature(await sandbox.run(candidate)) === sig);
  const line = { signature: sig, script: small, outcome, original: script.slice(0, 2_000) };
  appendFileSync(file, JSON.stringify(line) + '\n');
  console.log(`[fuzz] new failure class: ${sig}\n${small.slice(0, 500)}`);
}

async function fuzz(weights: readonly Weight[], seconds: number): Promise<void> {
  const outcomes = new Map<string, Outcome>();
  const counts: Record<string, number> = {};
  const started = performance.now();
  const details = await fc.check(
    fc.asyncProperty(mutantArbitrary(seeds, weights), async (script) => {
      const outcome = await sandbox.run(script);
      counts[outcome.kind] = (counts[outcome.kind] ?? 0) + 1;
      if (!isFailure(outcome)) return true;
      if (HUNT !== undefined) {
        await record(script, outcome, HUNT);
        return true;
      }
      outcomes.set(script, outcome);
      return false;
    }),
    {
      seed: SEED,
      ...(PATH === undefined ? {} : { path: PATH }),
      numRuns: PATH === undefined ? Number.MAX_SAFE_INTEGER : 1,
      interruptAfterTimeLimit: seconds * 1000,
      endOnFailure: HUNT !== undefined,
    },
  );
  const elapsed = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `[fuzz] ${weights.join('+') || 'edits only'}: ${details.numRuns} runs in ${elapsed} s, seed ${SEED}, ` +
      `limits [${sandbox.limits.join(', ')}], outcomes ${JSON.stringify(counts)}`,
  );
  if (details.failed) {
    const script = details.counterexample?.[0] ?? '';
    const outcome = outcomes.get(script);
    const error = details.errorInstance;
    throw new Error(
      [
        'the sandbox did not hold for a fuzz script.',
        `replay: RILL_FUZZ_SEED=${details.seed} RILL_FUZZ_PATH=${details.counterexamplePath ?? ''} npx vitest run test/fuzz/scripts.fuzz.test.ts`,
        `outcome: ${outcome === undefined ? String(error) : describeOutcome(outcome)}`,
        `signature: ${outcome === undefined ? '' : signature(outcome)}`,
        `script (${script.length} chars): ${JSON.stringify(script.length > 4_000 ? script.slice(0, 4_000) + '…' : script)}`,
      ].join('\n'),
    );
  }
  expect(sandbox.peakRss).toBeLessThan(MAX_RSS);
}

describe('fuzz: the sandbox holds', () => {
  it('every seed script runs contained', async () => {
    const failures: string[] = [];
    const started = performance.now();
    for (const script of seeds) {
      const outcome = await sandbox.run(script);
      if (isFailure(outcome)) failures.push(`${JSON.stringify(script)}\n${describeOutcome(outcome)}`);
    }
    seedSeconds = (performance.now() - started) / 1000;
    expect(failures).toEqual([]);
  }, TEST_MS);

  it('mutants with token edits and splices run contained', async () => {
    await fuzz([], mutantSeconds() / 3);
  }, TEST_MS);

  it('mutants with hostile fragments run contained', async () => {
    const heavy =
      HEAVY === 'on' || (HEAVY === 'auto' && HEAVY_NEEDS.every((limit) => sandbox.limits.includes(limit)));
    if (!heavy) {
      console.log(
        `[fuzz] heavy fragments off (RILL_FUZZ_HEAVY=${HEAVY}; limits the interpreter refused: ` +
          `${sandbox.dropped.join(', ') || 'none'})`,
      );
    }
    await fuzz(heavy ? ['light', 'heavy'] : ['light'], (mutantSeconds() * 2) / 3);
  }, TEST_MS);
});
