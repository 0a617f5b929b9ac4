import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { BIN, cli as runIn, spawnRill, tempDir, writeFile } from './helpers/cli.js';

const dir = tempDir();

function file(name: string, text: string): string {
  return writeFile(dir, name, text);
}

function cli(...argv: string[]) {
  return runIn(argv, { cwd: dir });
}

const version = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

describe('rill eval / run: exit 0', () => {
  it.each([
    ['1 + 2', '3'],
    ['"hi"', 'hi'],
    ['"a\\tb"', 'a\tb'],
    ['[1, "a", true]', '[1, "a", true]'],
    ['[a: 1, "b c": [:]]', '[a: 1, "b c": [:]]'],
    ['[1, 2, 3] -> map { $ * 2 } -> fold(0) { $@ + $ }', '12'],
  ])('eval %s prints %s', async (source, printed) => {
    const out = await cli('eval', source);
    expect(out).toEqual({ code: ExitCode.Ok, stdout: `${printed}\n`, stderr: '' });
  });

  it('sends log output to stderr and the result to stdout', async () => {
    const out = await cli('eval', '"x" -> log -> .upper');
    expect(out).toEqual({ code: 0, stdout: 'X\n', stderr: 'x\n' });
  });

  it('runs a file', async () => {
    const name = file('ok.rill', '"alice" => $name\n"Hello, {$name}!"\n');
    expect(await cli('run', name)).toEqual({ code: 0, stdout: 'Hello, alice!\n', stderr: '' });
  });

  it('accepts --timeout and --verbose', async () => {
    const out = await cli('run', file('t.rill', '40 + 2'), '--timeout', '5000', '--verbose');
    expect(out).toEqual({ code: 0, stdout: '42\n', stderr: '' });
  });
});

describe('script errors: exit 1 with a formatted error', () => {
  it('shows the parse error code, file:line:col and a caret under the span', async () => {
    const name = file('bad.rill', '1 + 1\n[a: 1, 2]\n');
    const out = await cli('run', name);
    expect(out.code).toBe(ExitCode.ScriptError);
    expect(out.stdout).toBe('');
    const lines = out.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PARSE_[A-Z_]+: /);
    expect(lines[1]).toMatch(/--> bad\.rill:2:\d+$/);
    const column = Number(/:(\d+)$/.exec(lines[1] ?? '')?.[1]);
    const sourceLine = lines.find((l) => l.endsWith('| [a: 1, 2]')) ?? '';
    const caretLine = lines[lines.indexOf(sourceLine) + 1] ?? '';
    // The caret sits under the column the location names.
    expect(caretLine.indexOf('^') - sourceLine.indexOf('[')).toBe(column - 1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });

  it('shows a runtime error with its location', async () => {
    const name = file('div.rill', '"start" -> log\n10 -> ($ / 0)\n');
    const out = await cli('run', name);
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^start\nEVAL_DIVISION_BY_ZERO: .*\n.*--> div\.rill:2:\d+\n/);
    expect(out.stderr).toContain('^');
    expect(out.stdout).toBe('');
  });

  it('names <eval> as the file for eval', async () => {
    const out = await cli('eval', '$nope');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/^EVAL_UNDEFINED_VARIABLE: .*\n.*--> <eval>:1:1\n/);
  });

  it('prints stacks only with --verbose', async () => {
    const quiet = await cli('eval', 'error "boom"');
    const loud = await cli('eval', 'error "boom"', '--verbose');
    expect(quiet.code).toBe(1);
    expect(loud.code).toBe(1);
    expect(quiet.stderr).toMatch(/^EVAL_SCRIPT_ERROR: /);
    expect(quiet.stderr).not.toMatch(/\n\s+at /);
    expect(loud.stderr).toMatch(/\n\s+at /);
  });

  it('check reports syntax errors without running anything', async () => {
    expect(await cli('check', file('good.rill', '"x" -> log'))).toEqual({
      code: 0,
      stdout: 'good.rill: ok\n',
      stderr: '',
    });
    const bad = await cli('check', file('bad2.rill', '"unterminated'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^LEX_UNTERMINATED_STRING: /);
  });
});

describe('usage errors: exit 2', () => {
  it.each([
    ['no command', []],
    ['an unknown command', ['frobnicate']],
    ['a missing file argument', ['run']],
    ['a missing source argument', ['eval']],
    ['an unknown option', ['run', 'x.rill', '--nope']],
    ['a bad timeout', ['eval', '1', '--timeout', 'soon']],
    ['a zero timeout', ['eval', '1', '--timeout', '0']],
    ['too many arguments', ['eval', '1', '2']],
  ])('%s', async (_name, argv) => {
    const out = await cli(...argv);
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).not.toBe('');
  });

  it('a file that cannot be read', async () => {
    const out = await cli('run', 'missing.rill');
    expect(out).toEqual({
      code: 2,
      stdout: '',
      stderr: 'rill: cannot read missing.rill (ENOENT)\n',
    });
  });
});

describe('help and version: exit 0', () => {
  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    expect(await cli(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists the commands', async () => {
    const out = await cli('--help');
    expect(out.code).toBe(0);
    for (const command of ['run', 'eval', 'check']) expect(out.stdout).toContain(command);
  });

  it.each([['run'], ['eval']])(
    '%s --help lists its options and the default mounts',
    async (command) => {
      const out = await cli(command, '--help');
      expect(out.code).toBe(0);
      for (const option of ['--config', '--var', '--json', '--timeout'])
        expect(out.stdout).toContain(option);
      expect(out.stdout).toContain('.rill/state.json');
    },
  );

  it('check --help describes the command', async () => {
    const out = await cli('check', '--help');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('parse');
  });
});

// Each spawn starts node and loads the interpreter: slow on a busy machine.
describe('the built binary', () => {
  it('has a node shebang', () => {
    expect(readFileSync(BIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });

  it('sets the process exit code', () => {
    const ok = spawnRill(['--version'], dir);
    expect([ok.status, ok.stdout]).toEqual([0, `${version}\n`]);
    const failed = spawnRill(['eval', '1 +'], dir);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^PARSE_UNEXPECTED_END: /);
    expect(spawnRill(['nope'], dir).status).toBe(2);
    const badConfig = spawnRill(['eval', '1', '--config', 'no-such-config.json'], dir);
    expect([badConfig.status, badConfig.stdout]).toEqual([2, '']);
    expect(badConfig.stderr).toMatch(/^rill: no-such-config\.json: /);
  });

  it('writes the result to stdout and log output to stderr', () => {
    const out = spawnRill(['eval', '"x" -> log -> .upper', '--json'], dir);
    expect([out.status, out.stdout, out.stderr]).toEqual([0, '"X"\n', 'x\n']);
  });
});
