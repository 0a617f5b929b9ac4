import { createServer, type Server, type Socket } from 'node:net';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExtensionResult } from '@rillkit/core';
import {
  type LocalS3Server,
  type S3Connection,
  type StartS3ServerOptions,
  createS3TestClient,
  gateService,
  listKeys,
  startS3Server,
} from '@rillkit/test-services';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createS3FsExtension, mapS3Error } from '../src/index.js';
import { commandNames, recordCommands } from './helpers/record-commands.js';
import { run, runFails } from './helpers/run.js';

// Failure modes that need control over the server, so always a local one (never S3_ENDPOINT):
// a server stopped mid-script or hanging, a missing bucket, refused credentials, servers
// without conditional writes, and a move whose delete fails. Most tests share one server
// (each under a prefix of its own); the ones that stop a server or change how it behaves
// start their own.
const shared = await gateService('@rillkit/ext-fs-s3: S3 failure tests', () =>
  startS3Server({ buckets: ['bkt'] }),
);
afterAll(async () => {
  if (shared.available) await shared.value.stop();
});

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function ownServer(options: StartS3ServerOptions = {}): Promise<LocalS3Server> {
  const s = await startS3Server({ buckets: ['bkt'], ...options });
  cleanups.push(() => s.stop());
  return s;
}

let prefixes = 0;

/** An extension reaching `server`, with mount `m` under a fresh prefix of bucket `bkt`. */
function extension(
  server: { readonly connection: S3Connection },
  extra: Record<string, unknown> = {},
  mount: Record<string, unknown> = {},
): ExtensionResult {
  const ext = createS3FsExtension({
    ...server.connection,
    ...extra,
    mounts: { m: { bucket: 'bkt', prefix: `p${prefixes++}/`, ...mount } },
  });
  cleanups.push(() => ext.dispose());
  return ext;
}

function rawClient(server: LocalS3Server): S3Client {
  const client = createS3TestClient(server.connection);
  cleanups.push(async () => client.destroy());
  return client;
}

/** `describe` with the shared server, or `describe.skip` with the reason there is none. */
function describeWithServer(title: string, body: (server: LocalS3Server) => void): void {
  if (shared.available) describe(title, () => body(shared.value));
  else describe.skip(`${title} (skipped: ${shared.reason})`, () => undefined);
}

describeWithServer('unreachable and failing servers', (server) => {
  it('a server stopped mid-script fails the next call with FS_BACKEND_UNAVAILABLE, fast, and recovers', async () => {
    const s = await ownServer();
    const fs = extension(s);
    let stoppedAt = 0;
    const stop = {
      params: [],
      fn: async () => {
        await s.kill();
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
    expect((await runFails(fs, 'fs::write("m", "b.txt", "y")')).code).toBe(
      'FS_BACKEND_UNAVAILABLE',
    );
    // Back on the same port with the same objects: the same extension works again, and the
    // failed write left nothing behind.
    await s.restart();
    expect(await run(fs, 'fs::read("m", "a.txt")')).toBe('x');
    expect(await run(fs, 'fs::find("m")')).toEqual(['a.txt']);
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
    const fs = extension(
      { connection: { ...server.connection, endpoint: `http://127.0.0.1:${port}` } },
      { requestTimeoutMs: 300, maxAttempts: 2 },
    );
    const started = Date.now();
    const err = await runFails(fs, 'fs::exists("m", "a.txt")');
    expect(err.code).toBe('FS_BACKEND_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('a missing bucket is FS_BACKEND_UNAVAILABLE for reads and writes', async () => {
    const fs = extension(server, {}, { bucket: 'no-such-bucket' });
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
    const { accessKeyId } = server.credentials;
    for (const [credentials, codes] of [
      // An access key the server does not know.
      [{ accessKeyId: 'denied', secretAccessKey: 'top-secret-9' }, ['InvalidAccessKeyId']],
      // A known key with the wrong secret.
      [{ accessKeyId, secretAccessKey: 'top-secret-9' }, ['SignatureDoesNotMatch']],
    ] as const) {
      const fs = extension(server, { credentials });
      for (const source of [
        'fs::read("m", "a.txt")',
        'fs::exists("m", "a.txt")',
        'fs::write("m", "a.txt", "x")',
        'fs::list("m")',
      ]) {
        const err = await runFails(fs, source);
        expect(err.code, source).toBe('FS_BACKEND_FAILURE');
        // HEAD responses carry no body, so exists() knows only the status.
        expect([...codes, 'Forbidden'], source).toContain(err.details['s3Code']);
        expect(err.details['status']).toBe(403);
        expect(err.message).toContain('access denied');
        expect(JSON.stringify({ message: err.message, details: err.details })).not.toContain(
          'top-secret-9',
        );
      }
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

describeWithServer('append and conditional writes', (server) => {
  const lines = Array.from({ length: 20 }, (_, i) => `line ${String(i).padStart(2, '0')}\n`);
  const appendAll = (fs: ExtensionResult) =>
    run(fs, '$lines -> map { fs::append("m", "log.txt", $) }', { lines });
  const sorted = (text: unknown) =>
    String(text)
      .split('\n')
      .filter((l) => l !== '')
      .sort();

  it('two instances (as two processes would) appending concurrently lose nothing (If-Match)', async () => {
    const prefix = { prefix: `two-${prefixes++}/` };
    const one = extension(server, {}, prefix);
    const two = extension(server, {}, prefix);
    await Promise.all([appendAll(one), appendAll(two)]);
    const content = await run(one, 'fs::read("m", "log.txt")');
    expect(sorted(content)).toEqual([...lines, ...lines].map((l) => l.trim()).sort());
  });

  for (const mode of ['ignore', 'reject'] as const) {
    it(`a server that ${mode}s conditional headers still serves appends within one process`, async () => {
      const s = await ownServer({ conditionalWrites: mode });
      const fs = extension(s);
      await appendAll(fs);
      expect(sorted(await run(fs, 'fs::read("m", "log.txt")'))).toEqual(lines.map((l) => l.trim()));
      expect(await run(fs, 'fs::mkdir("m", "d")')).toBe(true);
      expect(await run(fs, 'fs::mkdir("m", "d")')).toBe(false);
    });
  }

  it('a server that refuses If-Match (501) turns the overwrite fast path off, never writing blind', async () => {
    const s = await ownServer({ conditionalWrites: 'reject' });
    const client = rawClient(s);
    const sent = recordCommands(client);
    const prefix = `p${prefixes++}/`;
    const fs = createS3FsExtension({ client, mounts: { m: { bucket: 'bkt', prefix } } });
    cleanups.push(() => fs.dispose());
    await run(fs, 'fs::write("m", "a.txt", "x")');
    // Behind the backend's back the file becomes a folder: its remembered ETag is stale.
    await client.send(new DeleteObjectCommand({ Bucket: 'bkt', Key: `${prefix}a.txt` }));
    await client.send(new PutObjectCommand({ Bucket: 'bkt', Key: `${prefix}a.txt/x`, Body: 'x' }));
    sent.length = 0;
    // The If-Match PUT is refused with 501; the write is then checked, not sent without it.
    expect((await runFails(fs, 'fs::write("m", "a.txt", "y")')).code).toBe('FS_NOT_A_FILE');
    expect(sent.filter((c) => c.command === 'PutObjectCommand')).toHaveLength(1);
    expect(await listKeys(client, 'bkt', prefix)).toEqual([`${prefix}a.txt/x`]);
    // From then on no write carries If-Match, and overwrites still work.
    sent.length = 0;
    await run(fs, 'fs::write("m", "b.txt", "1")\nfs::write("m", "b.txt", "2")');
    expect(sent.filter((c) => c.ifMatch !== undefined)).toEqual([]);
    expect(commandNames(sent)).toContain('ListObjectsV2Command');
    expect(await run(fs, 'fs::read("m", "b.txt")')).toBe('2');
  });

  it('a server that ignores If-Match still overwrites files', async () => {
    const s = await ownServer({ conditionalWrites: 'ignore' });
    const fs = extension(s);
    await run(fs, 'fs::write("m", "a.txt", "1")\nfs::write("m", "a.txt", "2")');
    expect(await run(fs, 'fs::read("m", "a.txt")')).toBe('2');
  });

  it('a move whose delete fails reports it: the file exists under both names', async () => {
    const real = rawClient(server);
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
    const fs = createS3FsExtension({
      client: failingDeletes,
      mounts: { m: { bucket: 'bkt', prefix: `p${prefixes++}/` } },
    });
    cleanups.push(() => fs.dispose());
    await run(fs, 'fs::write("m", "a.txt", "x")');
    const err = await runFails(fs, 'fs::move("m", "a.txt", "b.txt")');
    expect(err.code).toBe('FS_BACKEND_FAILURE');
    expect(err.details['copied']).toBe(true);
    expect(await run(fs, 'fs::find("m")')).toEqual(['a.txt', 'b.txt']);
  });
});
