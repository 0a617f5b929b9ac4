import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode, type ModuleLoader, importModule } from '../src/index.js';
import { IS_CI, cli, tempDir, writeConfig } from './helpers/cli.js';

const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';

/** Whether something answers a PING at `url` within `ms` (any reply counts, even NOAUTH). */
function redisAnswers(url: string, ms: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 6379) });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(ms, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', () => done(true));
  });
}

const reachable = await redisAnswers(REDIS_URL, 1_000);
const skipReason = reachable ? '' : `no Redis server answers at ${new URL(REDIS_URL).host}`;
if (skipReason !== '' && !IS_CI)
  console.warn(`@rillkit/cli: Redis tests SKIPPED — ${skipReason} (set REDIS_URL)`);

describe.skipIf(skipReason !== '' && !IS_CI)('redis mounts', () => {
  const dir = tempDir();
  const prefix = `rill-cli-test:${randomBytes(6).toString('hex')}:`;
  const config = writeConfig(dir, 'rill.config.json', {
    kv: {
      jobs: { backend: 'redis', url: '${REDIS_URL}', prefix: `${prefix}jobs:` },
      seen: { backend: 'redis', url: '${REDIS_URL}', prefix: `${prefix}seen:`, ttl: 600 },
      local: { backend: 'json', store: './state.json' },
    },
  });
  const env = { REDIS_URL };
  const run = (source: string, loadModule?: ModuleLoader) =>
    cli(['eval', source, '--config', config], {
      cwd: dir,
      env,
      ...(loadModule === undefined ? {} : { loadModule }),
    });

  beforeAll(() => {
    if (skipReason !== '') throw new Error(`${skipReason}, and CI is set: Redis is required`);
  });

  afterAll(async () => {
    if (skipReason === '') await run('kv::clear("jobs") -> kv::clear("seen")');
  });

  it('store data on the server, shared by later runs', async () => {
    const first = await run('kv::set("jobs", "j1", [state: "queued"]) -> kv::incr("seen", "n")');
    expect(first).toEqual({ code: ExitCode.Ok, stdout: '1\n', stderr: '' });
    const second = await run(
      '[kv::get("jobs", "j1").state, kv::incr("seen", "n"), kv::keys("jobs")]',
    );
    expect(second.stdout).toBe('["queued", 2, ["j1"]]\n');
  });

  it('share one extension (one connection) for mounts on one server', async () => {
    let created = 0;
    const counting: ModuleLoader = async (specifier) => {
      const real = (await importModule(specifier)) as Record<string, (o: unknown) => unknown>;
      return {
        createRedisKvExtension: (options: unknown) => {
          created += 1;
          return real['createRedisKvExtension']?.(options);
        },
      };
    };
    const out = await run('kv::mounts() -> map { "{$.name}:{$.backend}" }', counting);
    expect(out.stdout).toBe('["jobs:redis", "seen:redis", "local:json"]\n');
    expect(created).toBe(1);
  });

  it('report an unreachable server as a script error after the connect timeout', async () => {
    const file = writeConfig(dir, 'down.json', {
      kv: {
        j: { backend: 'redis', url: 'redis://127.0.0.1:1', prefix: 'x:', connectTimeout: 200 },
      },
    });
    const out = await cli(['eval', 'kv::get("j", "k")', '-c', file], { cwd: dir });
    expect(out.code).toBe(ExitCode.ScriptError);
    expect(out.stderr).toMatch(/^KV_BACKEND_UNAVAILABLE: /);
  });
});
