// resolveRedisUrl and startRedisServer: REDIS_URL when set, the default port when something
// answers there, else a redis-server of its own.
import { describe, expect, it } from 'vitest';
import {
  ServiceUnavailableError,
  freePort,
  gateService,
  hasRedisServerBinary,
  redisAnswers,
  resolveRedisUrl,
  startRedisServer,
} from '../dist/index.js';

const binary = await gateService('@rillkit/test-services: Redis tests', async () => {
  if (!hasRedisServerBinary())
    throw new ServiceUnavailableError('Redis', 'no redis-server on the PATH');
});
const describeRedis = binary.available
  ? describe
  : (title: string, _body: () => void) =>
      describe.skip(`${title} (skipped: ${binary.reason})`, () => undefined);

describeRedis('redis', () => {
  it('startRedisServer answers PING until killed', async () => {
    const server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    expect(await redisAnswers(server.url)).toBe(true);
    await server.kill();
    expect(await redisAnswers(server.url, 300)).toBe(false);
  });

  it('resolveRedisUrl uses REDIS_URL when it answers, and says so when it does not', async () => {
    const server = await startRedisServer();
    try {
      const target = await resolveRedisUrl({ REDIS_URL: server.url });
      expect(target).toMatchObject({ url: server.url, server: undefined });
      // close() never stops a server it did not start.
      await target.close();
      expect(await redisAnswers(server.url)).toBe(true);
    } finally {
      await server.kill();
    }
    const port = await freePort();
    await expect(resolveRedisUrl({ REDIS_URL: `redis://127.0.0.1:${port}` })).rejects.toThrow(
      ServiceUnavailableError,
    );
  });

  it('resolveRedisUrl without REDIS_URL: the default port, or a server of its own', async () => {
    const target = await resolveRedisUrl({});
    try {
      expect(await redisAnswers(target.url)).toBe(true);
      if (target.server === undefined) expect(target.url).toBe('redis://127.0.0.1:6379');
    } finally {
      await target.close();
    }
  });
});
