// Runs fuzz scripts for scripts.fuzz.test.ts in a child process, so a script that loops for
// ever, exhausts the heap or makes V8 abort the process (a fatal "invalid array length" takes
// a worker thread's whole process down with it) costs a killed child, not the test process.
//
// Plain JavaScript on the built package (dist/): vitest's TypeScript transform does not reach
// child processes. The test checks that dist is not older than src before it starts one.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RillError, isErrorCode } from '@rillkit/core';
import { createRuntimeContext, execute, parse } from '../../dist/index.js';
import { createFsExtension } from '../../dist/ext/fs/index.js';
import { createKvExtension } from '../../dist/ext/kv/index.js';

/** @type {{ root: string, timeout: number }} */
const { root, timeout } = JSON.parse(process.env['RILL_FUZZ_WORKER'] ?? '{}');
const send = (message) => process.send?.({ ...message, rss: process.memoryUsage().rss });

// Limits another change adds to createRuntimeContext. Until it lands createRuntimeContext
// refuses them by name (HOST_INVALID_DEFINITION, details.option `limits.<key>`); each refused
// one is dropped, so the fuzz uses every limit the interpreter knows and no other.
const WANTED_LIMITS = {
  iterations: 10_000,
  memory: 64 * 1024 * 1024,
  steps: 2_000_000,
  depth: 1_000,
};

/**
 * The context options every fuzz run uses, minus the limits this interpreter refuses.
 * @returns {{ limits: Record<string, number>, dropped: string[] }}
 */
function supportedLimits() {
  const limits = { ...WANTED_LIMITS };
  const dropped = [];
  for (;;) {
    try {
      createRuntimeContext({ timeout, limits });
      return { limits, dropped };
    } catch (error) {
      const option = RillError.is(error) ? error.details.option : undefined;
      const key = typeof option === 'string' ? option.replace(/^limits\./, '') : undefined;
      if (
        !RillError.is(error) ||
        error.code !== 'HOST_INVALID_DEFINITION' ||
        key === undefined ||
        !(key in limits)
      ) {
        throw error;
      }
      delete limits[key];
      dropped.push(key);
    }
  }
}

const { limits, dropped } = supportedLimits();

/** One line naming a raw (non-RillError) throwable: its class and message. */
function describeRaw(thrown) {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`.slice(0, 300);
  return `${typeof thrown}: ${String(thrown)}`.slice(0, 300);
}

/** The first stack frames of a raw error inside the interpreter, for the report. */
function stackOf(thrown) {
  if (!(thrown instanceof Error) || thrown.stack === undefined) return undefined;
  return thrown.stack.split('\n').slice(0, 6).join('\n');
}

/** Classify what a RillError tells us: fine, or an interpreter bug. */
function fromRillError(stage, error) {
  if (!isErrorCode(error.code)) {
    return { kind: 'unregistered-code', stage, code: String(error.code), message: error.message };
  }
  if (error.code === 'EVAL_INTERNAL') {
    const cause = error.cause;
    return {
      kind: 'internal',
      stage,
      code: error.code,
      message: error.message.slice(0, 300),
      raw: cause === undefined ? undefined : describeRaw(cause),
      stack: stackOf(cause),
    };
  }
  return { kind: 'error', stage, code: error.code };
}

let sequence = 0;

/** Parse and execute one script with a memory kv mount and a fresh local fs mount. */
async function runOne(source) {
  const dir = join(root, `run-${++sequence}`);
  mkdirSync(dir);
  const kv = createKvExtension({
    mounts: { state: { store: ':memory:' }, user: { store: ':memory:' } },
  });
  const fs = createFsExtension({
    mounts: { files: { path: dir, maxFileSize: 1024 * 1024 }, data: { path: dir, mode: 'read' } },
  });
  try {
    let script;
    try {
      script = parse(source, { name: 'fuzz.rill' });
    } catch (thrown) {
      if (RillError.is(thrown)) return fromRillError('parse', thrown);
      return { kind: 'raw', stage: 'parse', raw: describeRaw(thrown), stack: stackOf(thrown) };
    }
    const ctx = createRuntimeContext({
      functions: { ...kv.functions, ...fs.functions },
      variables: { name: 'ada', action: 'list', title: 'Buy milk', text: 'x #a', tag: 'a', order: '3 apple' },
      timeout,
      limits,
    });
    try {
      await execute(script, ctx);
      return { kind: 'result' };
    } catch (thrown) {
      if (RillError.is(thrown)) return fromRillError('execute', thrown);
      return { kind: 'raw', stage: 'execute', raw: describeRaw(thrown), stack: stackOf(thrown) };
    }
  } finally {
    await Promise.allSettled([kv.dispose(), fs.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

// A rejection nobody handles (abandoned host work failing after its run ended) is a bug too;
// report it against the script that was running rather than dying.
let current = -1;
process.on('unhandledRejection', (reason) => {
  send({
    id: current,
    outcome: { kind: 'unhandled-rejection', raw: describeRaw(reason), stack: stackOf(reason) },
  });
});

send({ ready: true, limits: Object.keys(limits), dropped });
process.on('message', (message) => {
  const { id, source } = message;
  current = id;
  runOne(source).then(
    (outcome) => send({ id, outcome }),
    (thrown) =>
      send({
        id,
        outcome: { kind: 'raw', stage: 'host', raw: describeRaw(thrown), stack: stackOf(thrown) },
      }),
  );
});
