// Losing the server: a running script fails with KV_BACKEND_UNAVAILABLE within a bounded
// time (never hangs, never reads as a missing key), and calls succeed again once the
// server is back on the same port. Uses a redis-server of its own, never the shared one.
import { type OwnRedisServer, freePort, startRedisServer } from '@rillkit/test-services';
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { call, codeOf, runScript } from './helpers/kv-calls.js';
import { describeOwnServer } from './helpers/redis-env.js';

const CONNECT_TIMEOUT = 500;
const COMMAND_TIMEOUT = 1_000;
// Scheduling slack on a busy 2-core machine.
const SLACK = 1_500;

describeOwnServer('server outage', () => {
  const servers: OwnRedisServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.kill();
  });

  const open = (url: string) =>
    createRedisKvExtension({
      url,
      mounts: { m: { prefix: 'outage:' } },
      connectTimeout: CONNECT_TIMEOUT,
      commandTimeout: COMMAND_TIMEOUT,
    });

  it('a script fails with KV_BACKEND_UNAVAILABLE in bounded time when the server dies, and calls recover when it returns', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const kv = open(server.url);
    const probe = new Redis(server.url, { retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);

    const script = runScript(kv, 'range(0, 50000) -> each { kv::incr("m", "n") }');
    script.catch(() => undefined);
    // Let it get going, then kill the server mid-script.
    for (let n = 0; n < 200;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      n = Number((await probe.get('outage:n')) ?? 0);
    }
    probe.disconnect();
    const killedAt = Date.now();
    await server.kill();
    const failure = await codeOf(script);
    expect(failure.code).toBe('KV_BACKEND_UNAVAILABLE');
    expect(failure.details['mount']).toBe('m');
    expect(Date.now() - killedAt).toBeLessThan(CONNECT_TIMEOUT + COMMAND_TIMEOUT + SLACK);

    // While it is down, every call fails the same way, quickly, for reads and writes alike.
    for (const attempt of [
      () => call(kv, 'get', 'm', 'n'),
      () => call(kv, 'get_or', 'm', 'n', 'fallback'),
      () => call(kv, 'set', 'm', 'n', 1),
      () => call(kv, 'keys', 'm'),
    ]) {
      const startedAt = Date.now();
      const error = await codeOf(attempt());
      expect(error.code).toBe('KV_BACKEND_UNAVAILABLE');
      expect(Date.now() - startedAt).toBeLessThan(CONNECT_TIMEOUT + COMMAND_TIMEOUT + SLACK);
    }

    // Back on the same port (empty: it keeps nothing on disk): calls succeed again.
    const again = await startRedisServer(server.port);
    servers.push(again);
    const restartedAt = Date.now();
    let result: unknown;
    for (;;) {
      try {
        result = await runScript(kv, 'kv::incr("m", "n")');
        break;
      } catch (error) {
        expect((error as { code?: unknown }).code).toBe('KV_BACKEND_UNAVAILABLE');
        if (Date.now() - restartedAt > 10_000) throw error;
      }
    }
    expect(result).toBe(1);
    expect(Date.now() - restartedAt).toBeLessThan(5_000);
    expect(await call(kv, 'keys', 'm')).toEqual(['n']);
    await kv.dispose();
  });

  it('a server that stops answering fails calls within commandTimeout, and they recover when it answers again', async () => {
    const server = await startRedisServer();
    servers.push(server);
    const kv = open(server.url);
    await call(kv, 'set', 'm', 'k', 1);
    server.process.kill('SIGSTOP');
    try {
      const startedAt = Date.now();
      const error = await codeOf(call(kv, 'get', 'm', 'k'));
      expect(error.code).toBe('KV_BACKEND_UNAVAILABLE');
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(COMMAND_TIMEOUT - 50);
      expect(Date.now() - startedAt).toBeLessThan(COMMAND_TIMEOUT + 250 + SLACK);
    } finally {
      server.process.kill('SIGCONT');
    }
    const resumedAt = Date.now();
    for (;;) {
      try {
        expect(await call(kv, 'get', 'm', 'k')).toBe(1);
        break;
      } catch (error) {
        expect((error as { code?: unknown }).code).toBe('KV_BACKEND_UNAVAILABLE');
        if (Date.now() - resumedAt > 10_000) throw error;
      }
    }
    await kv.dispose();
  });

  it('with nothing listening, calls fail with KV_BACKEND_UNAVAILABLE, not as missing keys', async () => {
    const port = await freePort();
    const kv = open(`redis://127.0.0.1:${port}`);
    for (const fn of ['get', 'has'] as const) {
      const startedAt = Date.now();
      const error = await codeOf(call(kv, fn, 'm', 'k'));
      expect(error.code).toBe('KV_BACKEND_UNAVAILABLE');
      expect(error.message).not.toContain('redis://');
      expect(Date.now() - startedAt).toBeLessThan(CONNECT_TIMEOUT + SLACK);
    }
    const startedAt = Date.now();
    await kv.dispose();
    expect(Date.now() - startedAt).toBeLessThan(CONNECT_TIMEOUT + SLACK);
  });
});
