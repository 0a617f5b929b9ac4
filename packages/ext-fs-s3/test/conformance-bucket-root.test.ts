import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { describeFsBackend } from '@rillkit/conformance';
import { deletePrefix } from '@rillkit/test-services';
import { afterAll, describe } from 'vitest';
import { createS3FsExtension } from '../src/index.js';
import { describeIfTarget, openS3Target } from './helpers/s3-target.js';

// The shared fs suite again, on mounts that own a whole bucket (no prefix), with nothing
// skipped: only there does the suite's 1,023-byte path fit S3's 1,024-byte key limit. Each
// test namespace gets buckets of its own, so this runs on the local server only.
const target = await openS3Target();
afterAll(async () => {
  if (!('skipped' in target)) await target.close();
});

if (!('skipped' in target) && target.kind === 'external') {
  // Creating buckets per test is not something to do to a real account.
  describe.skip('s3 bucket-root mounts (skipped: needs the local server, S3_ENDPOINT is set)', () =>
    undefined);
} else {
  describeIfTarget(target, 's3 bucket-root mounts', (s3) => {
    // The suite reopens mounts by name, so a bucket may be asked for twice.
    const created = new Set<string>();
    describeFsBackend(
      's3 (bucket root)',
      async ({ namespace, mounts }) => {
        const names = Object.keys(mounts);
        // Same namespace and mount name, same bucket: the suite reopens mounts by name.
        const bucketOf = (mount: string) =>
          `ns-${namespace.toLowerCase()}-${Buffer.from(mount).toString('hex')}`;
        for (const bucket of names.map(bucketOf)) {
          if (created.has(bucket)) continue;
          created.add(bucket);
          await s3.raw.send(new CreateBucketCommand({ Bucket: bucket }));
        }
        const withLocation = Object.fromEntries(
          Object.entries(mounts).map(([name, options]) => [
            name,
            { ...options, bucket: bucketOf(name) },
          ]),
        );
        const ext = createS3FsExtension({ ...s3.connection, mounts: withLocation });
        return {
          ...ext,
          cleanup: async () => {
            for (const name of names) await deletePrefix(s3.raw, bucketOf(name), '');
          },
          secrets: [s3.connection.credentials.secretAccessKey],
        };
      },
      { backendName: 's3' },
    );
  });
}
