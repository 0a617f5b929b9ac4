// Working with objects behind an extension's back: a raw client for setup and checks, and
// cleanup of a key prefix.
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Connection } from './s3-server.js';

/**
 * A plain `S3Client` for `connection`, with the settings `createS3FsExtension` gives its own
 * clients: checksums only where S3 requires them (servers that do not speak the newer
 * checksum headers get unaltered bodies), bounded timeouts, two attempts. Destroy it when done.
 */
export function createS3TestClient(connection: S3Connection): S3Client {
  return new S3Client({
    ...connection,
    // A copy: the SDK annotates the credentials object it is given.
    credentials: { ...connection.credentials },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 2,
    requestHandler: {
      // Generous: setup traffic on a loaded 2-core CI machine, not a bound under test.
      connectionTimeout: 10_000,
      requestTimeout: 30_000,
      throwOnRequestTimeout: true,
    },
  });
}

/** Every key of `bucket` starting with `prefix`, in the server's listing order, all pages. */
export async function listKeys(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const item of page.Contents ?? []) if (item.Key !== undefined) out.push(item.Key);
    if (page.IsTruncated !== true || page.NextContinuationToken === undefined) return out;
    token = page.NextContinuationToken;
  }
}

/**
 * Delete every object of `bucket` whose key starts with `prefix` (`''`: the whole bucket),
 * 1,000 per request. Returns how many were deleted.
 */
export async function deletePrefix(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<number> {
  let deleted = 0;
  // Listing again from the start after each batch needs no continuation token, and a key
  // deleted meanwhile is never skipped.
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    const keys = (page.Contents ?? []).flatMap((c) =>
      c.Key === undefined ? [] : [{ Key: c.Key }],
    );
    if (keys.length === 0) return deleted;
    await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }),
    );
    deleted += keys.length;
  }
}
