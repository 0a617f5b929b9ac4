/**
 * Runs fuzz scripts in a child process (worker.mjs) with a bounded heap and a wall-clock
 * bound, and classifies what happened. A hung, out-of-memory or aborted child is killed and
 * replaced; the test process itself never runs a script. (A worker thread is not enough: V8
 * aborts the whole process on some allocation failures, see reproducers.json.)
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one script did. Everything but `result` and `error` is a sandbox failure. */
export type Outcome =
  | { readonly kind: 'result' }
  | { readonly kind: 'error'; readonly stage: string; readonly code: string }
  | { readonly kind: 'internal'; readonly stage: string; readonly raw?: string; readonly message: string; readonly stack?: string }
  | { readonly kind: 'raw'; readonly stage: string; readonly raw: string; readonly stack?: string }
  | { readonly kind: 'unregistered-code'; readonly stage: string; readonly code: string }
  | { readonly kind: 'unhandled-rejection'; readonly raw: string; readonly stack?: string }
  | { readonly kind: 'hang'; readonly ms: number }
  | { readonly kind: 'oom'; readonly raw: string }
  | { readonly kind: 'crash'; readonly raw: string }
  | { readonly kind: 'escape'; readonly paths: readonly string[] };

/** True for the outcomes the sandbox promises: a result or a coded, non-internal error. */
export function isContained(outcome: Outcome): boolean {
  return outcome.kind === 'result' || outcome.kind === 'error';
}

/**
 * A short, stable name for an outcome's failure class: numbers, quoted text and property
 * names vary between scripts that hit the same bug, so they are blanked.
 */
export function signature(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'result':
    case 'hang':
      return outcome.kind;
    case 'error':
    case 'unregistered-code':
      return `${outcome.kind} ${outcome.code}`;
    case 'escape':
      return 'escape';
    case 'internal':
      return `internal ${outcome.stage} ${generalize(outcome.raw ?? outcome.message)}`;
    case 'raw':
      return `raw ${outcome.stage} ${generalize(outcome.raw)}`;
    case 'unhandled-rejection':
    case 'oom':
    case 'crash':
      return `${outcome.kind} ${generalize(outcome.raw)}`;
  }
}

function generalize(text: string): string {
  return text
    .replace(/"[^"]*"|'[^']*'/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 120);
}

export interface SandboxOptions {
  /** The context timeout handed to every run, in ms. */
  readonly timeout: number;
  /** Wall-clock bound after which a run counts as a hang and its worker is terminated. */
  readonly hangAfter: number;
  /** Old-generation heap of the child, in MB. */
  readonly heapMb: number;
}

interface Pending {
  readonly resolve: (outcome: Outcome) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly started: number;
}

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/**
 * One worker, one script at a time. The folder layout, checked after every run:
 * `<base>/root/` holds the per-run mount folders (`run-<n>`, removed after each run) and
 * `<base>/outside/canary` must stay the only thing next to it.
 */
export class Sandbox {
  readonly base: string;
  private readonly root: string;
  private worker: ChildProcess | undefined;
  private childRss = 0;
  private ready: Promise<void> | undefined;
  private pending = new Map<number, Pending>();
  private next = 0;
  /** The limits keys the interpreter accepted, and the ones it refused (see worker.mjs). */
  limits: readonly string[] = [];
  dropped: readonly string[] = [];
  /** Largest resident set size seen after a run, in bytes: this process plus the child. */
  peakRss = 0;

  constructor(private readonly options: SandboxOptions) {
    this.base = realpathSync(mkdtempSync(join(tmpdir(), 'rill-fuzz-')));
    this.root = join(this.base, 'root');
    mkdirSync(this.root);
    mkdirSync(join(this.base, 'outside'));
    writeFileSync(join(this.base, 'outside', 'canary'), 'canary');
  }

  private start(): Promise<void> {
    if (this.ready !== undefined) return this.ready;
    const worker = fork(WORKER, [], {
      execArgv: [`--max-old-space-size=${this.options.heapMb}`, '--max-semi-space-size=16'],
      env: {
        ...process.env,
        RILL_FUZZ_WORKER: JSON.stringify({ root: this.root, timeout: this.options.timeout }),
      },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // The tail of stderr says why a child died (V8 prints "heap out of memory" and aborts).
    let stderr = '';
    worker.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4_000);
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: { ready?: true; limits?: string[]; dropped?: string[]; id?: number; outcome?: Outcome; rss?: number }) => {
        this.childRss = message.rss ?? 0;
        if (message.ready === true) {
          this.limits = message.limits ?? [];
          this.dropped = message.dropped ?? [];
          resolve();
          return;
        }
        this.settle(message.id ?? -1, message.outcome as Outcome);
      });
      worker.on('exit', (code, signal) => {
        reject(new Error(`fuzz child exited (${code ?? signal}) before it was ready:\n${stderr}`));
        const fatal = /FATAL ERROR: ([^\n]*)/.exec(stderr)?.[1];
        const raw = `child exited (${code ?? signal})${fatal === undefined ? '' : `: ${fatal}`}`;
        const outcome: Outcome = /out of memory/i.test(stderr) ? { kind: 'oom', raw } : { kind: 'crash', raw };
        this.failAll(worker, outcome);
      });
    });
    return this.ready;
  }

  private settle(id: number, outcome: Outcome): void {
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    this.pending.delete(id);
    clearTimeout(entry.timer);
    entry.resolve(outcome);
  }

  /** The worker died or hung: every run in it gets `outcome`, and the next run starts a new one. */
  private failAll(worker: ChildProcess, outcome: Outcome): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    this.childRss = 0;
    worker.kill('SIGKILL');
    for (const id of [...this.pending.keys()]) this.settle(id, outcome);
  }

  /** Run one script and classify it. */
  async run(source: string): Promise<Outcome> {
    await this.start();
    const worker = this.worker as ChildProcess;
    const id = this.next++;
    const outcome = await new Promise<Outcome>((resolve) => {
      const started = performance.now();
      const timer = setTimeout(() => {
        this.failAll(worker, { kind: 'hang', ms: Math.round(performance.now() - started) });
      }, this.options.hangAfter);
      this.pending.set(id, { resolve, timer, started });
      worker.send({ id, source });
    });
    this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss + this.childRss);
    const escaped = this.strayPaths();
    if (escaped.length > 0) {
      // Remove them so the next script is judged on its own.
      for (const path of escaped) rmSync(join(this.base, path), { recursive: true, force: true });
      return { kind: 'escape', paths: escaped };
    }
    return outcome;
  }

  /**
   * Paths below the base folder other than the layout's own: what a script wrote outside
   * its mount. A hung or dead worker may leave its `run-<n>` folder behind; that is cleared
   * here, not reported.
   */
  private strayPaths(): string[] {
    const stray: string[] = [];
    for (const name of readdirSync(this.base)) {
      if (name !== 'root' && name !== 'outside') stray.push(name);
    }
    for (const name of readdirSync(join(this.base, 'outside'))) {
      if (name !== 'canary') stray.push(join('outside', name));
    }
    if (statSync(join(this.base, 'outside', 'canary')).size !== 'canary'.length) {
      stray.push('outside/canary (changed)');
    }
    for (const name of readdirSync(this.root)) {
      if (/^run-\d+$/.test(name)) {
        if (this.pending.size === 0 && this.worker === undefined) {
          rmSync(join(this.root, name), { recursive: true, force: true });
        }
        continue;
      }
      stray.push(relative(this.base, join(this.root, name)));
    }
    return stray;
  }

  /** Stop the worker and remove the folders. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker !== undefined && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.kill('SIGKILL');
      await exited;
    }
    rmSync(this.base, { recursive: true, force: true });
  }
}
