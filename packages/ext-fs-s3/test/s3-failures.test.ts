import { createServer, type Server, type Socket } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import type { ExtensionResult } from '@rillkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createS3FsExtension, mapS3Error } from '../src/index.js';
import { run, runFails } from './helpers/run.js';
import { startS3TestServer, type S3TestServer } from './helpers/s3-test-server.mjs';

// Failure modes that need control over the server, so always the in-process one: a server that
// stops mid-script or hangs, a missing bucket, refused credentials, servers without
// conditional writes, and a move whose delete fails.
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function server(
  options: Parameters<typeof startS3TestServer>[0] = {},
): Promise<S3TestServer> {
  const s = await startS3TestServer({ buckets: ['bkt'], ...options });
  cleanups.push(() => s.stop());
  return s;
}

function extension(
  endpoint: string,
  extra: Record<string, unknown> = {},
  mount: Record<string, unknown> = {},
): ExtensionResult {
  const ext = createS3FsExtension({
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'key', secretAccessKey: 'secret-value-1' },
    ...extra,
    mounts: { m: { bucket: 'bkt', prefix: 'p/', ...mount } },
  });
  cleanups.push(() => ext.dispose());
  return ext;
}

describe('unreachable and failing servers', () => {
  it('a server stopped mid-script fails the next call with FS_BACKEND_UNAVAILABLE, fast', async () => {
    const s = await server();
    const fs = extension(s.endpoint);
    let stoppedAt = 0;
    const stop = {
      params: [],
      fn: async () => {
        await s.stop();
        stoppedAt = Date.now();
        return true;
      },
    };
    const err = await runFails(
      fs,
      'fs::write("m", "a.txt", "x")\ntest::stop()\nfs::read("m", "a.txt")',
      {},
      { 'test::stop': stop },
    );
    const elapsed = Date.now() - stoppedAt;
    expect(err.code).toBe('FS_BACKEND_UNAVAILABLE');
    expect(err.details['errno']).toBe('ECONNREFUSED');
    expect(err.details['mount']).toBe('m');
    expect(elapsed).toBeLessThan(5_000);
    // exists never turns an error into false.
    expect((await runFails(fs, 'fs::exists("m", "a.txt")')).code).toBe('FS_BACKEND_UNAVAILABLE');
    expect((await runFails(fs, 'fs::list("m")')).code).toBe('FS_BACKEND_UNAVAILABLE');
  });

  it('a server that accepts but never answers fails within the configured timeouts', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          silent.close(() => resolve());
        }),
    );
    const port = (silent.address() as { port: number }).port;
    const fs = extension(`http://127.0.0.1:${port}`, { requestTimeoutMs: 300, maxAttempts: 2 });
    const started = Date.now();
    const err = await runFails(fs, 'fs::exists("m", "a.txt")');
    expect(err.code).toBe('FS_BACKEND_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a missing bucket is FS_BACKEND_UNAVAILABLE for reads and writes', async () => {
    const s = await server();
    const fs = extension(s.endpoint, {}, { bucket: 'no-such-bucket' });
    for (const source of [
      'fs::read("m", "a.txt")',
      'fs::write("m", "a.txt", "x")',
      'fs::list("m")',
    ]) {
      const err = await runFails(fs, source);
      expect(err.code, source).toBe('FS_BACKEND_UNAVAILABLE');
      expect(err.details['s3Code']).toBe('NoSuchBucket');
      expect(err.message).not.toContain('no-such-bucket');
    }
  });

  it('refused credentials are FS_BACKEND_FAILURE with the S3 code, never leaking the secret', async () => {
    const s = await server();
    const fs = extension(s.endpoint, {
      credentials: { accessKeyId: 'denied', secretAccessKey: 'top-secret-9' },
    });
    for (const source of [
      'fs::read("m", "a.txt")',
      'fs::exists("m", "a.txt")',
      'fs::write("m", "a.txt", "x")',
    ]) {
      const err = await runFails(fs, source);
      expect(err.code, source).toBe('FS_BACKEND_FAILURE');
      // HEAD responses carry no body, so exists() knows only the status.
      expect(['AccessDenied', 'Forbidden']).toContain(err.details['s3Code']);
      expect(err.details['status']).toBe(403);
      expect(err.message).toContain('access denied');
      expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(
        'top-secret-9',
      );
    }
  });

  it('maps SDK and network errors to codes', () => {
    const sdk = (name: string, status: number) =>
      Object.assign(new Error(name), { name, Code: name, $metadata: { httpStatusCode: status } });
    const cases: [unknown, string][] = [
      [sdk('NoSuchKey', 404), 'FS_NOT_FOUND'],
      [sdk('NotFound', 404), 'FS_NOT_FOUND'],
      [sdk('NoSuchBucket', 404), 'FS_BACKEND_UNAVAILABLE'],
      [sdk('AccessDenied', 403), 'FS_BACKEND_FAILURE'],
      [sdk('Forbidden', 403), 'FS_BACKEND_FAILURE'],
      [sdk('SlowDown', 503), 'FS_BACKEND_UNAVAILABLE'],
      [sdk('InternalError', 500), 'FS_BACKEND_UNAVAILABLE'],
      [sdk('KeyTooLongError', 400), 'FS_INVALID_PATH'],
      [sdk('InvalidArgument', 400), 'FS_BACKEND_FAILURE'],
      [Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }), 'FS_BACKEND_UNAVAILABLE'],
      [Object.assign(new Error('dns'), { code: 'ENOTFOUND' }), 'FS_BACKEND_UNAVAILABLE'],
      [
        Object.assign(new Error('slow'), { name: 'TimeoutError', code: 'ETIMEDOUT' }),
        'FS_BACKEND_UNAVAILABLE',
      ],
      [new Error('odd'), 'FS_BACKEND_FAILURE'],
    ];
    for (const [error, code] of cases) {
      const mapped = mapS3Error(error, 'a.txt');
      expect(mapped.code, String(error)).toBe(code);
      expect(mapped.details['path']).toBe('a.txt');
      expect(mapped.cause).toBe(error);
    }
  });
});

describe('append and conditional writes', () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(2, '0')}\n`);
  const appendAll = (fs: ExtensionResult) =>
    run(fs, '$lines -> map { fs::append("m", "log.txt", $) }', { lines });
  const sorted = (text: unknown) =>
    String(text)
      .split('\n')
      .filter((l) => l !== '')
      .sort();

  it('two instances (as two processes would) appending concurrently lose nothing (If-Match)', async () => {
    const s = await server();
    const one = extension(s.endpoint);
    const two = extension(s.endpoint);
    await Promise.all([appendAll(one), appendAll(two)]);
    const content = await run(one, 'fs::read("m", "log.txt")');
    expect(sorted(content)).toEqual([...lines, ...lines].map((l) => l.trim()).sort());
  });

  for (const mode of ['ignore', 'reject'] as const) {
    it(`a server that ${mode}s conditional headers still serves appends within one process`, async () => {
      const s = await server({ conditionalWrites: mode });
      const fs = extension(s.endpoint);
      await appendAll(fs);
      expect(sorted(await run(fs, 'fs::read("m", "log.txt")'))).toEqual(lines.map((l) => l.trim()));
      expect(await run(fs, 'fs::mkdir("m", "d")')).toBe(true);
      expect(await run(fs, 'fs::mkdir("m", "d")')).toBe(false);
    });
  }

  it('a move whose delete fails reports it: the file exists under both names', async () => {
    const s = await server();
    const real = new S3Client({
      region: 'us-east-1',
      endpoint: s.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    cleanups.push(async () => real.destroy());
    const failingDeletes = {
      send: (command: { constructor: { name: string } }) =>
        command.constructor.name === 'DeleteObjectCommand'
          ? Promise.reject(
              Object.assign(new Error('AccessDenied'), {
                name: 'AccessDenied',
                Code: 'AccessDenied',
                $metadata: { httpStatusCode: 403 },
              }),
            )
          : real.send(command as never),
    } as unknown as S3Client;
    const fs = createS3FsExtension({ client: failingDeletes, mounts: { m: { bucket: 'bkt' } } });
    cleanups.push(() => fs.dispose());
    await run(fs, 'fs::write("m", "a.txt", "x")');
    const err = await runFails(fs, 'fs::move("m", "a.txt", "b.txt")');
    expect(err.code).toBe('FS_BACKEND_FAILURE');
    expect(err.details['copied']).toBe(true);
    expect(await run(fs, 'fs::find("m")')).toEqual(['a.txt', 'b.txt']);
  });
});
