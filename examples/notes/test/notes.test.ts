import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeFolder, rill, tempCwd, tempFolder } from './rill-binary.js';

// Every run happens in a temporary working folder: the CLI's default config mounts it as the
// fs mount `files` and keeps the kv mount `state` in ./.rill/state.json there.
const script = fileURLToPath(new URL('../notes.rill', import.meta.url));

function notes(cwd: string, vars: Record<string, string>) {
  const args = Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}=${value}`]);
  return rill(cwd, 'run', script, ...args);
}

/** Run and expect success: the printed result without its final newline. */
function ok(cwd: string, vars: Record<string, string>): string {
  const out = notes(cwd, vars);
  expect(out.stderr).toBe('');
  expect(out.status).toBe(0);
  return out.stdout.replace(/\n$/, '');
}

/** Everything the runs left in `cwd`: file paths and their contents. */
function snapshot(cwd: string): Record<string, string> {
  const files = readdirSync(cwd, { recursive: true, withFileTypes: true }).filter((e) =>
    e.isFile(),
  );
  return Object.fromEntries(
    files.map((e) => {
      const path = join(e.parentPath, e.name);
      return [path.slice(cwd.length + 1), readFileSync(path, 'utf8')];
    }),
  );
}

const LIST_AFTER_ADDS = [
  '3 notes',
  '- Buy milk (5 words) #home #errands',
  '- Call Mum (3 words) #home',
  '- Plan sprint (1 word)',
  'tags: #errands 1, #home 2',
].join('\n');

function addThree(cwd: string): void {
  expect(
    ok(cwd, { action: 'add', title: 'Buy milk', text: 'Two litres #home #errands #Home' }),
  ).toBe('added "Buy milk" as notes/buy-milk.md (5 words, tags: home, errands)');
  expect(ok(cwd, { action: 'add', title: '  Call   Mum ', text: 'Sunday afternoon #home' })).toBe(
    'added "Call Mum" as notes/call-mum.md (3 words, tags: home)',
  );
  expect(ok(cwd, { action: 'add', title: 'Plan sprint', text: 'Goals.' })).toBe(
    'added "Plan sprint" as notes/plan-sprint.md (1 word, no tags)',
  );
}

describe('examples/notes', { timeout: 300_000 }, () => {
  it('adds notes as files, indexes them in kv, and lists them in later runs', () => {
    const cwd = tempCwd();
    addThree(cwd);
    expect(readFileSync(join(cwd, 'notes', 'buy-milk.md'), 'utf8')).toBe(
      '# Buy milk\n\nTwo litres #home #errands #Home\n',
    );
    expect(ok(cwd, { action: 'list' })).toBe(LIST_AFTER_ADDS);
    expect(ok(cwd, { action: 'tag', tag: '#Home' })).toBe('#home: Buy milk, Call Mum');
    expect(ok(cwd, { action: 'tag', tag: 'errands' })).toBe('#errands: Buy milk');
    expect(ok(cwd, { action: 'tag', tag: 'work' })).toBe('no notes tagged #work');
    expect(ok(cwd, { action: 'show', title: 'call mum' })).toBe(
      '# Call Mum\n\nSunday afternoon #home',
    );
  });

  it('lists nothing, and creates nothing, before the first note', () => {
    const cwd = tempCwd();
    expect(ok(cwd, { action: 'list' })).toBe('no notes yet');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('lists a file dropped into notes/ by hand, without index data', () => {
    const cwd = tempCwd();
    addThree(cwd);
    const drop = rill(cwd, 'eval', 'fs::write("files", "notes/zz-by-hand.md", "# By hand\\n")');
    expect(drop.status).toBe(0);
    expect(ok(cwd, { action: 'list' })).toBe(
      LIST_AFTER_ADDS.replace('3 notes', '4 notes').replace(
        '\ntags:',
        '\n- notes/zz-by-hand.md (0 words)\ntags:',
      ),
    );
  });

  const rejected: [string, Record<string, string>, string][] = [
    [
      'a title that exists',
      { action: 'add', title: 'buy  MILK', text: 'again #x' },
      'EVAL_SCRIPT_ERROR',
    ],
    [
      'a title with other characters',
      { action: 'add', title: 'a/b', text: 'x' },
      'EVAL_ASSERTION_FAILED',
    ],
    ['an empty title', { action: 'add', title: ' ', text: 'x' }, 'EVAL_ASSERTION_FAILED'],
    ['a bad tag', { action: 'add', title: 'New', text: 'x #ok #not_ok' }, 'EVAL_ASSERTION_FAILED'],
    ['add without text', { action: 'add', title: 'New' }, 'EVAL_UNDEFINED_VARIABLE'],
    ['an unknown action', { action: 'remove', title: 'Buy milk' }, 'EVAL_SCRIPT_ERROR'],
    ['no action', { title: 'Buy milk' }, 'EVAL_UNDEFINED_VARIABLE'],
    ['showing a missing note', { action: 'show', title: 'Nothing here' }, 'FS_NOT_FOUND'],
  ];

  // Failed runs change nothing, so the cases share one folder with three notes in it.
  describe('bad input', () => {
    let cwd = '';
    beforeAll(() => {
      cwd = tempFolder();
      addThree(cwd);
    });
    afterAll(() => removeFolder(cwd));

    it.each(rejected)('rejects %s with its code and changes nothing', (_what, vars, code) => {
      const before = snapshot(cwd);
      const out = notes(cwd, vars);
      expect(out.status).toBe(1);
      expect(out.stdout).toBe('');
      expect(out.stderr.startsWith(`${code}: `)).toBe(true);
      expect(snapshot(cwd)).toEqual(before);
    });

    it('still lists the same notes afterwards', () => {
      expect(ok(cwd, { action: 'list' })).toBe(LIST_AFTER_ADDS);
    });
  });

  it('passes `rill check`', () => {
    expect(rill(tempCwd(), 'check', script).status).toBe(0);
  });
});
