import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Run the example the way a user does: the built `rill` binary in a child process.
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const cliManifestPath = require.resolve('@rillkit/cli/package.json');
const cliManifest = JSON.parse(readFileSync(cliManifestPath, 'utf8')) as { bin: { rill: string } };
const rillBin = join(dirname(cliManifestPath), cliManifest.bin.rill);

function rill(...args: string[]) {
  return spawnSync(process.execPath, [rillBin, ...args], {
    cwd: join(here, '..'),
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('examples/hello', { timeout: 60_000 }, () => {
  it('runs and prints the result on stdout, the log lines on stderr', () => {
    const out = rill('run', 'hello.rill');
    expect(out.stderr).toBe('ada scored 3\ngrace scored 5\nlinus scored 2\n');
    expect(out.stdout).toBe('ADA, GRACE, LINUS: 10 points\n');
    expect(out.status).toBe(0);
  });

  it('passes `rill check`', () => {
    const out = rill('check', 'hello.rill');
    expect(out.status).toBe(0);
  });
});
