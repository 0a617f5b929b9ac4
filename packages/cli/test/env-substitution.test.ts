import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, substituteEnv } from '../src/index.js';
import { cli, tempDir, writeConfig } from './helpers/cli.js';

const ENV = { HOST: 'db.local', EMPTY: '', DOLLAR: '${HOST}' };

describe('substituteEnv', () => {
  it.each([
    ['no reference', 'plain text', 'plain text'],
    ['a variable', 'redis://${HOST}:6379', 'redis://db.local:6379'],
    ['two variables', '${HOST}/${HOST}', 'db.local/db.local'],
    ['a set but empty variable', 'a${EMPTY}b', 'ab'],
    ['a fallback for an unset variable', '${NOPE:-x:y}', 'x:y'],
    ['a fallback for an empty variable', '${EMPTY:-fb}', 'fb'],
    ['an empty fallback', '${NOPE:-}', ''],
    ['no fallback when set', '${HOST:-other}', 'db.local'],
    ['an escaped reference', '$${HOST}', '${HOST}'],
    ['a lone dollar', 'cost: $5, $HOST', 'cost: $5, $HOST'],
    ['no re-expansion of a value', '${DOLLAR}', '${HOST}'],
  ])('%s', (_name, input, output) => {
    expect(substituteEnv({ a: { b: input } }, ENV, 'c.json')).toEqual({ a: { b: output } });
  });

  it('leaves keys and non-strings alone, and reaches into arrays', () => {
    expect(substituteEnv({ '${HOST}': [1, true, '${HOST}'] }, ENV, 'c.json')).toEqual({
      '${HOST}': [1, true, 'db.local'],
    });
  });

  it.each([
    ['an unset variable', '${NOPE}', 'kv.jobs.url'],
    ['an unclosed reference', 'x${HOST', 'kv.jobs.url'],
    ['a reference without a name', '${}', 'kv.jobs.url'],
    ['a reference with a bad name', '${A-B}', 'kv.jobs.url'],
  ])('%s is a ConfigError naming the field', (_name, input, field) => {
    let error: unknown;
    try {
      substituteEnv({ kv: { jobs: { url: input } } }, ENV, 'c.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect([(error as ConfigError).source, (error as ConfigError).field]).toEqual([
      'c.json',
      field,
    ]);
  });

  it('names the unset variable', () => {
    expect(() => substituteEnv({ url: '${RILL_SECRET}' }, {}, 'c.json')).toThrow(/RILL_SECRET/);
  });
});

describe('${ENV} in a config run by the CLI', () => {
  const dir = tempDir();
  mkdirSync(join(dir, 'from-env'));
  const file = writeConfig(dir, 'env.json', {
    kv: {
      state: { backend: 'json', store: '${DATA_DIR}/state.json', mode: '${MODE:-read-write}' },
    },
  });

  it('reads variables from the environment the CLI is given', async () => {
    const env = { DATA_DIR: join(dir, 'from-env') };
    const out = await cli(['eval', 'kv::set("state", "k", "v")', '-c', file], { cwd: dir, env });
    expect(out).toEqual({ code: ExitCode.Ok, stdout: 'true\n', stderr: '' });
    expect(JSON.parse(readFileSync(join(dir, 'from-env', 'state.json'), 'utf8'))).toMatchObject({
      values: { k: 'v' },
    });
    const readOnly = await cli(['eval', 'kv::set("state", "k", "w")', '-c', file], {
      cwd: dir,
      env: { ...env, MODE: 'read' },
    });
    expect(readOnly.code).toBe(ExitCode.ScriptError);
    expect(readOnly.stderr).toMatch(/^KV_READ_ONLY: /);
  });

  it('a missing variable is a config error naming the file, field and variable', async () => {
    const out = await cli(['eval', '1', '-c', file], { cwd: dir, env: {} });
    expect(out.code).toBe(ExitCode.Usage);
    expect(out.stderr).toMatch(/^rill: env\.json: kv\.state\.store: .*\bDATA_DIR\b/);
  });
});
