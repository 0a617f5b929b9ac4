import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rill, tempCwd } from './rill-binary.js';

// The script stays where it is; every run happens in a temporary working folder, where the
// CLI's default config puts the kv mount `state` (./.rill/state.json).
const script = fileURLToPath(new URL('../visit-counter.rill', import.meta.url));

function visit(cwd: string, name: string) {
  return rill(cwd, 'run', script, '--var', `name=${name}`);
}

describe('examples/visit-counter', { timeout: 180_000 }, () => {
  it('counts visits per name, and the counts persist from one process to the next', () => {
    const cwd = tempCwd();
    const runs = [visit(cwd, 'ada'), visit(cwd, 'grace'), visit(cwd, ' ada ')];
    expect(runs.map((r) => [r.status, r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, ''],
    ]);
    expect(runs.map((r) => r.stdout)).toEqual([
      'Hello, ada! This is your visit number 1 and visit 1 in all; you are the first visitor.\n' +
        'Visitors so far: ada (1)\n',
      'Hello, grace! This is your visit number 1 and visit 2 in all; the visitor before you was ada.\n' +
        'Visitors so far: ada (1), grace (1)\n',
      'Hello, ada! This is your visit number 2 and visit 3 in all; the visitor before you was grace.\n' +
        'Visitors so far: ada (2), grace (1)\n',
    ]);
    expect(existsSync(join(cwd, '.rill', 'state.json'))).toBe(true);

    // Another process reads what the runs stored.
    const stored = rill(cwd, 'eval', 'kv::getAll("state")', '--json');
    expect(stored.status).toBe(0);
    expect(JSON.parse(stored.stdout)).toEqual({
      last: 'ada',
      total: 3,
      'visits/ada': 2,
      'visits/grace': 1,
    });
  });

  it('keeps separate counts in separate working folders', () => {
    const first = tempCwd();
    const second = tempCwd();
    expect(visit(first, 'ada').status).toBe(0);
    expect(visit(first, 'ada').status).toBe(0);
    const out = visit(second, 'ada');
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('This is your visit number 1 and visit 1 in all');
  });

  it('fails with EVAL_UNDEFINED_VARIABLE without --var name, and creates no storage', () => {
    const cwd = tempCwd();
    const out = rill(cwd, 'run', script);
    expect(out.status).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^EVAL_UNDEFINED_VARIABLE: /);
    expect(existsSync(join(cwd, '.rill'))).toBe(false);
  });

  it('rejects a blank name with EVAL_ASSERTION_FAILED and changes no count', () => {
    const cwd = tempCwd();
    expect(visit(cwd, 'ada').status).toBe(0);
    const out = visit(cwd, '   ');
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/^EVAL_ASSERTION_FAILED: /);
    const after = visit(cwd, 'ada');
    expect(after.stdout).toContain('This is your visit number 2 and visit 2 in all');
  });

  it('passes `rill check`', () => {
    const out = rill(tempCwd(), 'check', script);
    expect(out.status).toBe(0);
  });
});
