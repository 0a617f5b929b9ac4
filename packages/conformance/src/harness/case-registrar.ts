import { describe, it, type ExpectStatic } from 'vitest';

/** Skip list: a test title, a group title or `group > test` mapped to the reason. */
export type SkipList = Readonly<Record<string, string>>;

/** A capability a test needs; when not met the test is reported as skipped with the reason. */
export interface Requirement {
  readonly met: boolean;
  readonly reason: string;
}

/** How one case runs. */
export interface TestOptions {
  /** The case does a lot of I/O: its time limit is twice the backend's. */
  readonly heavy?: boolean;
}

/** How a group of cases runs. */
export interface GroupOptions {
  /** Run the group's tests concurrently (default: the registrar's setting). */
  readonly concurrent?: boolean;
}

/**
 * Registers suite cases with vitest, honouring the backend's skip list and timeout, and
 * giving every test a fresh scope that is closed (disposed, cleaned up) afterwards even when
 * the test fails.
 */
export class CaseRegistrar<Scope extends { close(): Promise<void> }> {
  private readonly groups: string[] = [];

  constructor(
    private readonly skip: SkipList,
    private readonly timeoutMs: number,
    private readonly openScope: (expect: ExpectStatic) => Scope,
    /** Default for groups: run their tests concurrently (each has its own namespace). */
    private readonly concurrentByDefault = false,
  ) {}

  /** Register a group (a vitest `describe`). Groups nest. */
  group(title: string, body: () => void, options: GroupOptions = {}): void {
    const reason = this.reasonFor(title);
    if (reason !== undefined) {
      // The backend declared this group unsupported (or a known bug); the reason is in the title.
      describe.skip(`${title} (skipped: ${reason})`, body);
      return;
    }
    const run = (): void => {
      this.groups.push(title);
      try {
        body();
      } finally {
        this.groups.pop();
      }
    };
    if (options.concurrent ?? this.concurrentByDefault) describe.concurrent(title, run);
    else describe(title, run);
  }

  /**
   * Register a case that does a lot of I/O (a thousand files, long concurrent loops): its time
   * limit is twice the backend's. Limits only catch hangs; the benchmarks judge speed.
   */
  heavyTest(title: string, fn: (scope: Scope) => Promise<void>, requirement?: Requirement): void {
    this.test(title, fn, requirement, { heavy: true });
  }

  /** Register one test; `fn` gets a fresh scope. */
  test(
    title: string,
    fn: (scope: Scope) => Promise<void>,
    requirement?: Requirement,
    options: TestOptions = {},
  ): void {
    const reason =
      this.reasonFor(title) ?? (requirement?.met === false ? requirement.reason : undefined);
    if (reason !== undefined) {
      // A requirement the backend does not declare, or an explicit skip; the reason is in the title.
      it.skip(`${title} (skipped: ${reason})`, () => undefined);
      return;
    }
    it(
      title,
      async ({ expect }) => {
        // A conformance test that checks nothing would pass on any backend.
        expect.hasAssertions();
        const scope = this.openScope(expect);
        try {
          await fn(scope);
        } catch (err) {
          // The test's own failure is the interesting one; a cleanup failure after it is noise.
          await scope.close().catch(() => undefined);
          throw err;
        }
        await scope.close();
      },
      options.heavy === true ? this.timeoutMs * 2 : this.timeoutMs,
    );
  }

  private reasonFor(title: string): string | undefined {
    const path = [...this.groups, title].join(' > ');
    return this.skip[path] ?? this.skip[title];
  }
}
