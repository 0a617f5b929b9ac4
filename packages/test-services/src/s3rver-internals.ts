// The parts of @20minutes/s3rver 4.0.4 (pinned) that the fixes in s3rver-fixes.ts touch,
// typed as far as they use them, and how to load its modules.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** How the server treats conditional writes (fix 6). */
export type ConditionalWrites = 'honour' | 'ignore' | 'reject';

/**
 * How the server treats the newer flexible-checksum headers: `'ignore'` them (s3rver's own
 * way: the headers are not checked; aws-chunked uploads with trailers are refused with 400
 * InvalidArgument) or `'reject'` every object request (upload, download, copy) carrying them
 * with 501 NotImplemented, like S3-compatible servers that predate them.
 */
export type ChecksumHeaders = 'ignore' | 'reject';

/** How the server behaves where S3-compatible servers differ (see applyS3rverFixes). */
export interface S3rverBehaviour {
  readonly conditionalWrites: ConditionalWrites;
  readonly checksumHeaders: ChecksumHeaders;
}

/** The parts of a Koa context these fixes use. */
export interface KoaContext {
  path: string;
  body: unknown;
  readonly type: string;
  readonly req: { readonly url?: string };
  readonly method: string;
  readonly query: Record<string, unknown>;
  readonly headers: Record<string, string | undefined>;
  readonly params: Record<string, string | undefined>;
  readonly res: { once(event: 'close', listener: () => void): unknown };
  readonly store: FixedStoreLike;
}

/** A Koa middleware. */
export type Middleware = (ctx: KoaContext, next: () => Promise<unknown>) => Promise<unknown>;
/** An s3rver controller. */
export type Controller = (ctx: KoaContext) => Promise<unknown>;

/** What s3rver's store knows about an object. */
export interface ObjectMetadata {
  readonly etag: string;
  readonly [name: string]: unknown;
}

/** The parts of s3rver's file-system store these fixes use. */
export interface FilesystemStoreLike {
  getBucketPath(bucket: string): string;
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<ObjectMetadata>;
  existsObject(bucket: string, key: string): Promise<boolean>;
}

/** The store the server runs with: s3rver's, fixed (s3rver-store.ts). */
export interface FixedStoreLike extends FilesystemStoreLike {
  /** The object's ETag, or undefined when there is no object. */
  etagOf(bucket: string, key: string): Promise<string | undefined>;
}

/** s3rver's FilesystemStore class. */
export type FilesystemStoreClass = (new (directory: string) => FilesystemStoreLike) & {
  encodeKeyPath(key: string): string;
  decodeKeyPath(path: string): string;
};

/** s3rver's S3Object model. */
export type S3ObjectClass = new (
  bucket: string,
  key: string,
  content: null,
  metadata: ObjectMetadata,
) => unknown;

/** s3rver's S3Error: thrown from a middleware or controller, it becomes an S3 XML error. */
export type S3ErrorClass = new (
  code: string,
  message: string,
  detail?: Record<string, string>,
) => Error;

/** Load a module of s3rver's `lib` folder (the package has no exports map; it is pinned). */
export function requireS3rver<T>(path: string): T {
  return require(`@20minutes/s3rver/lib/${path}`) as T;
}
