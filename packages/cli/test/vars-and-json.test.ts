import { describe, expect, it } from 'vitest';
import { ExitCode } from '../src/index.js';
import { cli, tempDir, writeFile } from './helpers/cli.js';

const dir = tempDir();
const run = (...argv: string[]) => cli(argv, { cwd: dir });

describe('--var name=value', () => {
  it('binds string variables, for run and eval', async () => {
    const script = writeFile(dir, 'greet.rill', '"{$greeting}, {$who}!"');
    expect(await run('run', script, '--var', 'greeting=Hello', '--var', 'who=world')).toEqual({
      code: ExitCode.Ok,
      stdout: 'Hello, world!\n',
      stderr: '',
    });
    expect((await run('eval', '$n -> type', '--var', 'n=42')).stdout).toBe('string\n');
  });

  it.each([
    ['a value with =', 'q=a=b', 'a=b'],
    ['an empty value', 'q=', ''],
    ['spaces and quotes', 'q= "x" ', ' "x" '],
    ['an underscore name', '_q=1', '1'],
  ])('takes everything after the first = (%s)', async (_name, option, value) => {
    const name = option.slice(0, option.indexOf('='));
    const out = await run('eval', `$${name} -> json`, '--var', option);
    expect(out).toEqual({ code: 0, stdout: `${JSON.stringify(value)}\n`, stderr: '' });
  });

  it.each([
    ['no =', ['--var', 'name']],
    ['an empty name', ['--var', '=x']],
    ['a name starting with a digit', ['--var', '1x=a']],
    ['a name with a dash', ['--var', 'a-b=1']],
    ['a name with a $', ['--var', '$a=1']],
    ['a duplicate name', ['--var', 'a=1', '--var', 'a=2']],
    ['a missing argument', ['--var']],
  ])('rejects %s as a usage error (exit 2)', async (_name, options) => {
    const out = await run('eval', 'log("ran")', ...options);
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^error: /);
    expect(out.stderr).not.toContain('ran');
  });

  it('an unbound variable is still a script error', async () => {
    const out = await run('eval', '$other', '--var', 'some=1');
    expect(out.code).toBe(ExitCode.ScriptError);
    expect(out.stderr).toMatch(/^EVAL_UNDEFINED_VARIABLE: /);
  });
});

describe('--json', () => {
  it.each([
    ['"hi"', '"hi"'],
    ['42', '42'],
    ['true', 'true'],
    ['[]', '[]'],
    ['[:]', '{}'],
    ['[b: 1, a: [1, "x"]]', '{\n  "b": 1,\n  "a": [\n    1,\n    "x"\n  ]\n}'],
  ])('prints %s as %s', async (source, printed) => {
    expect(await run('eval', source, '--json')).toEqual({
      code: 0,
      stdout: `${printed}\n`,
      stderr: '',
    });
  });

  it('keeps dict key order, including integer-like keys', async () => {
    const out = await run('eval', '["10": 1, "2": 2, x: 3]', '--json');
    expect(out.stdout).toBe('{\n  "10": 1,\n  "2": 2,\n  "x": 3\n}\n');
  });

  it.each([
    ['a closure', '|x| ($x)'],
    ['a closure inside a list', '[1, |x| ($x)]'],
  ])(
    '%s has no JSON form: EVAL_NOT_SERIALIZABLE, exit 1, nothing on stdout',
    async (_name, source) => {
      const out = await run('eval', source, '--json');
      expect(out.code).toBe(ExitCode.ScriptError);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(/^EVAL_NOT_SERIALIZABLE: /);
    },
  );

  it('still runs the script and disposes the extensions before failing', async () => {
    const out = await run('eval', 'kv::set("state", "k", 1)\n|x| ($x)', '--json');
    expect(out.code).toBe(1);
    expect((await run('eval', 'kv::get("state", "k")', '--json')).stdout).toBe('1\n');
  });
});
