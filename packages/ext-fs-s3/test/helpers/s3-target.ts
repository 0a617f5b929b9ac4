// The S3 target of a test file: S3_ENDPOINT (MinIO, AWS) when set, else a local s3rver, both
// from @rillkit/test-services; a missing server skips locally and fails under CI.
import { randomBytes } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  type S3Target as ServiceTarget,
  createS3TestClient,
  deletePrefix,
  gateService,
  resolveS3Target,
} from '@rillkit/test-services';
import { describe } from 'vitest';

/** Where a test file stores objects, with a raw client for setup, checks and cleanup. */
export interface S3Target extends ServiceTarget {
  /** A raw client with the settings the extension gives its own clients. */
  readonly raw: S3Client;
  /** A random key prefix for this file's run: every key the tests write starts with it. */
  readonly runPrefix: string;
}

/** The target, or why there is none (only ever locally: under CI a missing server throws). */
export type MaybeTarget = S3Target | { readonly skipped: string };

/** Open the target for a test file (call at the top level, close it in `afterAll`). */
export async function openS3Target(): Promise<MaybeTarget> {
  const gated = await gateService('@rillkit/ext-fs-s3: S3 tests', () => resolveS3Target());
  if (!gated.available) return { skipped: gated.reason };
  const base = gated.value;
  const raw = createS3TestClient(base.connection);
  return {
    kind: base.kind,
    bucket: base.bucket,
    get connection() {
      return base.connection;
    },
    server: base.server,
    label: base.label,
    raw,
    runPrefix: `rillkit-test-${randomBytes(4).toString('hex')}/`,
    close: async () => {
      raw.destroy();
      await base.close();
    },
  };
}

/** Delete what this file wrote and stop the target (for `afterAll`). */
export async function closeS3Target(target: MaybeTarget): Promise<void> {
  if ('skipped' in target) return;
  await deletePrefix(target.raw, target.bucket, target.runPrefix);
  await target.close();
}

/** `describe`, or `describe.skip` with the reason in its title when there is no target. */
export function describeIfTarget(
  target: MaybeTarget,
  title: string,
  body: (target: S3Target) => void,
): void {
  if ('skipped' in target) describe.skip(`${title} (skipped: ${target.skipped})`, () => undefined);
  else describe(title, () => body(target));
}
