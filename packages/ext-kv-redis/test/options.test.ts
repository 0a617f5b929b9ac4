// Config validation: everything is checked up front, before any I/O, with KV_INVALID_CONFIG
// naming the field. None of these tests needs a server.
import { RillError } from '@rillkit/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisKvExtension } from '../src/index.js';

// Nothing listens here; creating an extension must not try to connect anyway.
const URL_WITH_PASSWORD = 'redis://app:s3cret-pw@127.0.0.1:1/0';

function configError(make: () => unknown): RillError {
  try {
    make();
  } catch (error) {
    if (RillError.is(error)) return error;
    throw error;
  }
  throw new Error('expected KV_INVALID_CONFIG, but the extension was created');
}

function expectInvalid(field: string, options: Record<string, unknown>): RillError {
  const error = configError(() => createRedisKvExtension(options as never));
  expect(error.code).toBe('KV_INVALID_CONFIG');
  expect(error.details['field']).toBe(field);
  expect(error.message).not.toContain('s3cret-pw');
  return error;
}

const mounts = { m: { prefix: 'p:' } };

describe('createRedisKvExtension config', () => {
  it('accepts the issue example and applies the top-level writePolicy to every mount', async () => {
    const kv = createRedisKvExtension({
      url: URL_WITH_PASSWORD,
      mounts: {
        user: {
          mode: 'read-write',
          prefix: 'app:user:',
          schema: {
            name: { type: 'string', default: '' },
            count: { type: 'number', default: 0 },
          },
        },
        cache: { mode: 'read-write', prefix: 'app:cache:', ttl: 3600 },
      },
      writePolicy: 'immediate',
    });
    const rows = (await kv.functions['kv::mounts']?.fn([], undefined as never)) as readonly Map<
      string,
      unknown
    >[];
    expect(rows.map((r) => [r.get('name'), r.get('backend'), r.get('writePolicy')])).toEqual([
      ['user', 'redis', 'immediate'],
      ['cache', 'redis', 'immediate'],
    ]);
    expect(JSON.stringify(rows.map((r) => [...r]))).not.toContain('s3cret-pw');
    await kv.dispose();
  });

  it('needs exactly one of url and client', () => {
    expectInvalid('url', { mounts });
    expectInvalid('client', { url: URL_WITH_PASSWORD, client: {}, mounts });
  });

  it('rejects a URL that is not redis:// or rediss:// without repeating it', () => {
    expectInvalid('url', { url: 'http://app:s3cret-pw@127.0.0.1:6379', mounts });
    expectInvalid('url', { url: 'not a url s3cret-pw', mounts });
    expectInvalid('url', { url: 42, mounts });
  });

  it('rejects a client that is not an ioredis client', () => {
    expectInvalid('client', { client: { status: 'ready' }, mounts });
    expectInvalid('client', { client: 'redis://localhost', mounts });
  });

  it('rejects a borrowed client with a keyPrefix', () => {
    const client = new Redis(URL_WITH_PASSWORD, { lazyConnect: true, keyPrefix: 'app:' });
    expectInvalid('client', { client, mounts });
    client.disconnect();
  });

  it('refuses writePolicy dispose, at the top level and per mount', () => {
    expectInvalid('writePolicy', { url: URL_WITH_PASSWORD, writePolicy: 'dispose', mounts });
    expectInvalid('writePolicy', { url: URL_WITH_PASSWORD, writePolicy: 'later', mounts });
    expectInvalid('mounts.m.writePolicy', {
      url: URL_WITH_PASSWORD,
      mounts: { m: { prefix: 'p:', writePolicy: 'dispose' } },
    });
  });

  it('rejects unknown options and bad timeouts', () => {
    expectInvalid('colour', { url: URL_WITH_PASSWORD, mounts, colour: 'blue' });
    for (const bad of [0, -1, 1.5, '100', Number.NaN, 2 ** 31]) {
      expectInvalid('connectTimeout', { url: URL_WITH_PASSWORD, mounts, connectTimeout: bad });
      expectInvalid('commandTimeout', { url: URL_WITH_PASSWORD, mounts, commandTimeout: bad });
    }
  });

  it('requires a non-empty, well-formed prefix per mount', () => {
    expectInvalid('mounts.m.prefix', { url: URL_WITH_PASSWORD, mounts: { m: {} } });
    expectInvalid('mounts.m.prefix', { url: URL_WITH_PASSWORD, mounts: { m: { prefix: '' } } });
    expectInvalid('mounts.m.prefix', { url: URL_WITH_PASSWORD, mounts: { m: { prefix: 7 } } });
    expectInvalid('mounts.m.prefix', {
      url: URL_WITH_PASSWORD,
      mounts: { m: { prefix: 'a\uD800:' } },
    });
  });

  it('requires hashTag to be a boolean', () => {
    expectInvalid('mounts.m.hashTag', {
      url: URL_WITH_PASSWORD,
      mounts: { m: { prefix: 'p:', hashTag: 'yes' } },
    });
  });

  it('rejects overlapping prefixes, also through a hash tag', () => {
    const cases: Record<string, unknown>[] = [
      { a: { prefix: 'app:' }, b: { prefix: 'app:' } },
      { a: { prefix: 'app:' }, b: { prefix: 'app:user:' } },
      { a: { prefix: 'app:user:' }, b: { prefix: 'app:' } },
      { a: { prefix: 'x:', hashTag: true }, b: { prefix: '{x:}y:' } },
      { a: { prefix: 'x', hashTag: true }, b: { prefix: '{x' } },
    ];
    for (const m of cases) {
      const error = expectInvalid('mounts.b.prefix', { url: URL_WITH_PASSWORD, mounts: m });
      expect(error.message).toContain('"a"');
    }
  });

  it('accepts prefixes that only share a beginning', async () => {
    const kv = createRedisKvExtension({
      url: URL_WITH_PASSWORD,
      mounts: {
        a: { prefix: 'app:' },
        b: { prefix: 'apple:' },
        c: { prefix: 'app:', hashTag: true },
      },
    });
    await kv.dispose();
  });

  it('requires hashTag on every mount of a Cluster client', () => {
    const cluster = {
      isCluster: true,
      status: 'ready',
      evalsha: () => undefined,
      eval: () => undefined,
      once: () => undefined,
      on: () => undefined,
      off: () => undefined,
    };
    expectInvalid('mounts.m.hashTag', { client: cluster, mounts });
    const kv = createRedisKvExtension({
      client: cluster as never,
      mounts: { m: { prefix: 'p:', hashTag: true } },
    });
    return kv.dispose();
  });

  it('lets core validate the common options', () => {
    expectInvalid('mounts.m.ttl', {
      url: URL_WITH_PASSWORD,
      mounts: { m: { prefix: 'p:', ttl: 0 } },
    });
    expectInvalid('mounts.m.colour', {
      url: URL_WITH_PASSWORD,
      mounts: { m: { prefix: 'p:', colour: 'blue' } },
    });
  });
});
