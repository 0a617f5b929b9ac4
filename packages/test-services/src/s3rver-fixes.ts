// Fixes applied to @20minutes/s3rver 4.0.4 (pinned) inside the server process, each where it
// departs from the S3 API in a way the tests run into. Every fix makes s3rver behave like S3;
// none makes it more lenient than S3. The package README lists them.
//
// 1. Request signatures: SigV4 signs the path and query as the client sent them. s3rver
//    rebuilds both from decoded values: a bucket-level path loses its trailing `/` (the SDK
//    sends `/<bucket>/`, so every ListObjectsV2, HeadBucket, CreateBucket and DeleteObjects is
//    refused with SignatureDoesNotMatch), and query values are encoded with encodeURIComponent,
//    not RFC 3986 (a listing prefix with `' ( ) * !` is refused the same way). Routing also
//    refuses keys with an empty segment (`a//b`) with a bare 404.
// 2. ListObjectsV2: s3rver lists in file-system order rather than UTF-8 byte order of keys (so
//    continuation tokens can skip keys), misses common prefixes of folders that hold only
//    deeper keys, and stats every entry of every folder it passes (slow on big folders).
// 3. Keys the file system cannot name: s3rver stores key segments as folder and file names, so
//    an empty segment (`a//b`) collapses, and a segment over ~230 bytes fails (ENAMETOOLONG).
//    Its XML escapes text twice (he.escape, then the XML builder again), so keys with
//    `& < > ' \`` come back from listings with entity text in them.
// 4. CopyObject decodes `x-amz-copy-source` with decodeURI, which leaves `%2B %3F %23 %26 %3D
//    %3A %40 %24 %2C %3B %2F` encoded: names with `+ ? # & = : @ $ , ;` are not found.
// 5. Atomic objects: s3rver writes an object's file in place, so a concurrent GET can see a
//    partial body or a reset connection; S3 replaces objects whole. Requests on one key are
//    serialised here (a GET holds its key until its body is sent).
// 6. Conditional writes: s3rver ignores If-Match / If-None-Match on PUT and
//    x-amz-copy-source-if-match on CopyObject. S3 honours them (412 PreconditionFailed; 404 for
//    If-Match on a missing object). Tests can also ask for a server that ignores them (as
//    s3rver does) or refuses them with 501 NotImplemented (as some S3-compatible servers do).
// 7. Deleting an object removes its folders when they become empty; a PUT below the same
//    folder at that moment fails with ENOENT. S3 has no folders: here they are left in place
//    (an empty folder holds no object, so listings do not show it).
import { createFixedStore } from './s3rver-store.js';
import { fixObjectControllers } from './s3rver-objects.js';
import { createRequestFixes, fixSigning } from './s3rver-requests.js';
import type { FilesystemStoreLike, Middleware, S3rverBehaviour } from './s3rver-internals.js';

export type { ChecksumHeaders, ConditionalWrites, S3rverBehaviour } from './s3rver-internals.js';

/** What {@link applyS3rverFixes} returns: what to give the server instance. */
export interface S3rverFixes {
  /** The store to replace the server's with. */
  readonly Store: new (directory: string) => FilesystemStoreLike;
  /** A middleware to put first in the server's chain. */
  readonly middleware: Middleware;
  /** Requests received so far, by S3 operation (`PutObject`, `ListObjectsV2`, ...). */
  readonly counts: ReadonlyMap<string, number>;
}

/** Apply every fix to the s3rver modules. */
export function applyS3rverFixes(behaviour: S3rverBehaviour): S3rverFixes {
  const counts = new Map<string, number>();
  fixSigning();
  fixObjectControllers(behaviour.conditionalWrites);
  return {
    Store: createFixedStore(),
    middleware: createRequestFixes(behaviour, counts),
    counts,
  };
}
