// The shared conformance suite against a real Redis server: once with plain prefixes and
// once with every mount in a cluster hash tag.
import { describeKvBackend } from '@rillkit/conformance';
import { afterAll, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';
import { REDIS_URL, describeRedis, dropKeys, rawClient } from './helpers/redis-env.js';

if (REDIS_URL === '') {
  describeRedis('redis conformance', () => {
    it('runs the shared kv suite', () => undefined);
  });
} else {
  const raw = rawClient();
  afterAll(async () => {
    await raw.quit();
  });
  for (const hashTag of [false, true]) {
    describeKvBackend(
      hashTag ? 'redis (hash-tagged mounts)' : 'redis',
      ({ namespace, mounts }) => {
        const prefixed = Object.fromEntries(
          Object.entries(mounts).map(([name, options]) => [
            name,
            { ...options, prefix: `${namespace}:${name}:`, hashTag },
          ]),
        );
        const ext = createRedisKvExtension({ url: REDIS_URL, mounts: prefixed });
        return {
          ...ext,
          cleanup: async () => {
            await dropKeys(raw, `${namespace}:`);
          },
          secrets: [REDIS_URL],
        };
      },
      {
        backendName: 'redis',
        supports: { persistent: true, sharedInstances: true, writePolicyDispose: false },
      },
    );
  }
}
