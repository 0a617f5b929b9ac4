// The S3-compatible server process that startS3Server spawns: @20minutes/s3rver on a loopback
// port, storing objects in a folder given by the parent, with the fixes of s3rver-fixes.ts.
// It runs in a process of its own because s3rver encrypts ListObjectsV2 continuation tokens
// with DES, which OpenSSL 3 offers only with its legacy provider (`node
// --openssl-legacy-provider`, a process-wide switch the test runner itself should not need).
// It reports `{ port }` over the IPC channel once it listens, and exits (deleting its data)
// when the parent goes away, so a crashed test run leaves no server and no files behind.
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type S3rverBehaviour, applyS3rverFixes } from './s3rver-fixes.js';

/** What the parent passes as the only argument, JSON-encoded. */
export interface S3rverChildConfig extends S3rverBehaviour {
  readonly port: number;
  readonly directory: string;
  readonly buckets: readonly string[];
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Messages between the parent and this process. */
export type S3rverChildMessage =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'counts'; readonly id: number; readonly counts: Record<string, number> };

/** Requests from the parent. */
export interface S3rverParentMessage {
  readonly type: 'counts';
  readonly id: number;
}

interface S3rverInstance {
  store: unknown;
  middleware: unknown[];
  context: { store: unknown };
  run(): Promise<{ port: number }>;
}

type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

interface Account {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
}

const require = createRequire(import.meta.url);

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '') as S3rverChildConfig;
  const fixes = applyS3rverFixes(config);
  const S3rver = require('@20minutes/s3rver') as S3rverClass;
  // s3rver checks request signatures against its account registry; add the test's key pair
  // (the package has no exports map, and the version is pinned exactly).
  const { DUMMY_ACCOUNT } = require('@20minutes/s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: Account;
  };
  DUMMY_ACCOUNT.createKeyPair(config.accessKeyId, config.secretAccessKey);
  const server = new S3rver({
    address: '127.0.0.1',
    port: config.port,
    directory: config.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: config.buckets.map((name) => ({ name })),
  });
  server.store = server.context.store = new fixes.Store(config.directory);
  // Koa composes its middleware when it starts listening.
  server.middleware.unshift(fixes.middleware);
  const address = await server.run();
  const send = (message: S3rverChildMessage) => process.send?.(message);
  process.on('message', (message: S3rverParentMessage) => {
    if (message.type === 'counts')
      send({ type: 'counts', id: message.id, counts: Object.fromEntries(fixes.counts) });
  });
  // The parent is gone without stopping this server (a crashed or killed test run): clean up
  // as stop() would have.
  process.on('disconnect', () => {
    rmSync(config.directory, { recursive: true, force: true });
    process.exit(0);
  });
  send({ type: 'ready', port: address.port });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
