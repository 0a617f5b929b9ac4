// Starting an S3-compatible server for tests and benchmarks: @20minutes/s3rver, pinned, in a
// child process (see s3rver-child.ts for why), on a free loopback port with a fresh data folder.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ServiceUnavailableError } from './service-gate.js';
import type { S3rverChildConfig, S3rverChildMessage, S3rverParentMessage } from './s3rver-child.js';

/** The region every local server answers as. */
export const LOCAL_S3_REGION = 'us-east-1';

/** Static credentials, as `createS3FsExtension` and `S3Client` take them. */
export interface S3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Connection options for an S3-compatible server, in the shape `createS3FsExtension` takes at
 * its top level (spread them in) and `S3Client` accepts.
 */
export interface S3Connection {
  readonly region: string;
  readonly endpoint: string;
  readonly forcePathStyle: true;
  readonly credentials: S3Credentials;
}

/** Options of {@link startS3Server}. */
export interface StartS3ServerOptions {
  /** Buckets that exist from the start (more can be made with CreateBucket). Default none. */
  readonly buckets?: readonly string[];
  /** Port on 127.0.0.1; default 0, a free one chosen by the system. */
  readonly port?: number;
  /**
   * Conditional writes (`If-Match` / `If-None-Match` on PUT, `x-amz-copy-source-if-match`):
   * `'honour'` them as S3 does (default), `'ignore'` them like servers that predate them, or
   * `'reject'` them with 501 NotImplemented like some S3-compatible servers.
   */
  readonly conditionalWrites?: 'honour' | 'ignore' | 'reject';
  /**
   * The newer flexible-checksum headers (`x-amz-checksum-*`, `x-amz-sdk-checksum-algorithm`,
   * aws-chunked bodies with trailers): `'ignore'` them as s3rver does (default; it refuses
   * aws-chunked trailer uploads with 400 InvalidArgument), or `'reject'` every object request
   * (upload, download, copy) that carries them with 501 NotImplemented, like S3-compatible
   * servers that predate them. (Requests that S3 requires a checksum for, such as
   * DeleteObjects, are not refused.)
   */
  readonly checksumHeaders?: 'ignore' | 'reject';
  /** How long to wait for the server to listen; default 20 s (a busy CI machine is slow). */
  readonly startTimeoutMs?: number;
}

/** A running local S3-compatible server and its controls. */
export interface LocalS3Server {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  /** The only credentials it accepts (random per server); others get 403 InvalidAccessKeyId. */
  readonly credentials: S3Credentials;
  /** Everything needed to reach it; spread into `createS3FsExtension({ ...connection, mounts })`. */
  readonly connection: S3Connection;
  /** The folder it stores objects in (deleted by {@link LocalS3Server.stop}). */
  readonly directory: string;
  /** Whether the server process is running. */
  readonly running: boolean;
  /**
   * Requests the running server process has received, by S3 operation (`PutObject`,
   * `GetObject`, `HeadObject`, `ListObjectsV2`, `CopyObject`, `DeleteObject`, ...).
   */
  requestCounts(): Promise<Record<string, number>>;
  /**
   * End the server (SIGKILL) and wait until it is gone, keeping its data: connections to the
   * port are refused from then on, as with a crashed server. Idempotent.
   */
  kill(): Promise<void>;
  /** Start it again after {@link kill}, on the same port with the same objects. */
  restart(): Promise<void>;
  /** End the server and delete its data folder. Idempotent; call it when done. */
  stop(): Promise<void>;
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3rver-child.js', import.meta.url));

/** A server process that has reported its port. */
interface Running {
  readonly child: ChildProcess;
  readonly port: number;
  readonly exited: Promise<void>;
}

function spawnServer(config: S3rverChildConfig, timeoutMs: number): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', CHILD_SCRIPT, JSON.stringify(config)],
    { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise<Running>((resolve, reject) => {
    const onError = (error: Error) => fail(`could not be started (${error.message})`);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited at start (${signal ?? `code ${code}`})`);
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    function fail(why: string): void {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new ServiceUnavailableError(
          'S3',
          `the local S3 server (@20minutes/s3rver) ${why}${stderr === '' ? '' : `: ${stderr.trim()}`}`,
        ),
      );
    }
    child.once('error', onError);
    child.once('exit', onExit);
    child.once('message', (message: S3rverChildMessage) => {
      if (message.type !== 'ready') return fail('sent an unexpected message');
      clearTimeout(timer);
      child.off('error', onError);
      child.off('exit', onExit);
      // Neither the process nor its pipes keep a test worker alive; the child exits on its own
      // when this process goes away.
      child.on('error', () => undefined);
      child.unref();
      child.channel?.unref();
      (child.stderr as { unref?: () => void } | null)?.unref?.();
      resolve({ child, port: message.port, exited });
    });
  });
}

let lastQuestion = 0;

function askCounts(child: ChildProcess): Promise<Record<string, number>> {
  const id = ++lastQuestion;
  return new Promise((resolve, reject) => {
    const onMessage = (message: S3rverChildMessage) => {
      if (message.type !== 'counts' || message.id !== id) return;
      done();
      resolve(message.counts);
    };
    const onExit = () => {
      done();
      reject(new Error('the server exited'));
    };
    const done = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.channel?.unref();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    // Keep this process alive until the answer arrives.
    child.channel?.ref();
    const question: S3rverParentMessage = { type: 'counts', id };
    child.send(question);
  });
}

async function killProcess(running: Running): Promise<void> {
  const { child } = running;
  if (child.exitCode === null && child.signalCode === null) {
    // Keep this process alive until the exit is seen.
    child.ref();
    child.kill('SIGKILL');
  }
  await running.exited;
}

/**
 * Start an S3-compatible HTTP server on a loopback port: `@20minutes/s3rver` (pinned) in a
 * child process run with `--openssl-legacy-provider`, storing objects in a fresh temporary
 * folder, with random credentials. Signatures are checked, so wrong credentials get 403.
 * s3rver's departures from S3 that tests run into are fixed in the server process (see the
 * package README); the ones left are listed there too.
 *
 * @throws {@link ServiceUnavailableError} when it does not start.
 * @example
 * const server = await startS3Server({ buckets: ['data'] });
 * const fs = createS3FsExtension({ ...server.connection, mounts: { m: { bucket: 'data' } } });
 * // ...
 * await fs.dispose();
 * await server.stop();
 */
export async function startS3Server(options: StartS3ServerOptions = {}): Promise<LocalS3Server> {
  const timeoutMs = options.startTimeoutMs ?? 20_000;
  const directory = await mkdtemp(join(tmpdir(), 'rillkit-s3rver-'));
  const credentials: S3Credentials = {
    accessKeyId: `rillkit${randomBytes(6).toString('hex')}`,
    secretAccessKey: randomBytes(18).toString('base64url'),
  };
  const config: S3rverChildConfig = {
    port: options.port ?? 0,
    directory,
    buckets: options.buckets ?? [],
    conditionalWrites: options.conditionalWrites ?? 'honour',
    checksumHeaders: options.checksumHeaders ?? 'ignore',
    ...credentials,
  };
  let running: Running | undefined;
  try {
    running = await spawnServer(config, timeoutMs);
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  const port = running.port;
  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const server: LocalS3Server = {
    endpoint,
    port,
    region: LOCAL_S3_REGION,
    credentials,
    get connection(): S3Connection {
      // A fresh object each time: the SDK annotates the credentials object it is given.
      return {
        region: LOCAL_S3_REGION,
        endpoint,
        forcePathStyle: true,
        credentials: { ...credentials },
      };
    },
    directory,
    get running() {
      return (
        running !== undefined &&
        running.child.exitCode === null &&
        running.child.signalCode === null
      );
    },
    async requestCounts() {
      if (running === undefined || !server.running) throw new Error('the server is not running');
      return askCounts(running.child);
    },
    async kill() {
      if (running !== undefined) await killProcess(running);
    },
    async restart() {
      if (stopped) throw new Error('restart() after stop(): the data is gone');
      if (running !== undefined) await killProcess(running);
      running = await spawnServer({ ...config, port, buckets: [] }, timeoutMs);
    },
    async stop() {
      stopped = true;
      if (running !== undefined) await killProcess(running);
      await rm(directory, { recursive: true, force: true });
    },
  };
  return server;
}
