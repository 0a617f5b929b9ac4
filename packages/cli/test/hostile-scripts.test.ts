// Hostile scripts through the real `rill` binary: each ends with its limit's code and exit
// status 1 under the default limits, in a child whose heap is capped at 1 GiB (a script
// that grew the heap past that would crash the child with V8's out-of-memory abort).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, tempDir, writeFile } from './helpers/cli.js';

const dir = tempDir();

const SCRIPTS: readonly [string, string][] = [
  [
    'range(0, 26) -> fold("x") { "{$@}{$@}" } => $s\nrange(0, 10000) -> map { $s.split("") } -> .len\n',
    'LIMIT_MEMORY',
  ],
  ['range(0, 10000) -> map { range(0, 10000) -> map { [a: $, b: "x{$}"] } }\n', 'LIMIT_MEMORY'],
  ['range(0, 5000) -> fold([]) { list[$@] }\n', 'LIMIT_VALUE_DEPTH'],
  ['range(0, 10000) -> fold(0) { 0 -> ($ < 10000) @ { $ + 1 } }\n', 'LIMIT_STEPS'],
  // 2 MB of one-token statements: refused by parse's node limit while it lexes.
  ['1\n'.repeat(1_000_000), 'PARSE_TOO_LARGE'],
];

describe('rill run: hostile scripts end with a coded error and the process exits cleanly', () => {
  SCRIPTS.forEach(([source, code], i) => {
    it(`${code}: script ${i + 1}`, () => {
      const file = writeFile(dir, `hostile-${i}.rill`, source);
      const child = spawnSync(process.execPath, ['--max-old-space-size=1024', BIN, 'run', file], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 100_000,
      });
      expect(child.signal, child.stderr).toBeNull();
      expect(child.status, child.stderr).toBe(1);
      expect(child.stderr).toContain(`${code}:`);
      expect(child.stderr).not.toMatch(/RangeError|heap out of memory/);
    });
  });
});
