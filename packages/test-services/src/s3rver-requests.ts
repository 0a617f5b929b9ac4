// Fixes 1 and 3 of s3rver-fixes.ts that act on whole requests: signatures checked against the
// request as sent, routing of keys with empty segments, XML text escaped once; plus request
// counts and refusing checksum headers when a test asks for such a server.
import { AsyncLocalStorage } from 'node:async_hooks';
import { ESCAPE } from './s3rver-key-paths.js';
import {
  type KoaContext,
  type Middleware,
  type S3ErrorClass,
  type S3rverBehaviour,
  requireS3rver,
} from './s3rver-internals.js';

/** The path and query of the request being served, as the client sent them. */
const sent = new AsyncLocalStorage<{ readonly path: string; readonly query: string }>();

/** RFC 3986 encoding, as SigV4 wants it. */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The SigV4 canonical query string of a raw query (`a=1&b`), presigned signature excluded. */
function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = decodeURIComponent(eq < 0 ? pair : pair.slice(0, eq));
      const value = eq < 0 ? '' : decodeURIComponent(pair.slice(eq + 1));
      return [encodeRfc3986(name), encodeRfc3986(value)] as const;
    })
    .filter(([name]) => name !== 'X-Amz-Signature')
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

interface CanonicalRequest {
  uri: string;
  querystring: string;
}

/** Check signatures against the request as sent (see fix 1). */
export function fixSigning(): void {
  const v4 = requireS3rver<{
    getStringToSign: (canonical: CanonicalRequest, request: unknown) => string;
  }>('signature/v4.js');
  const original = v4.getStringToSign.bind(v4);
  // The authentication middleware calls it through the module object on every request.
  v4.getStringToSign = (canonical, request) => {
    const request0 = sent.getStore();
    if (request0 !== undefined) {
      canonical.uri = request0.path;
      canonical.querystring = canonicalQuery(request0.query);
    }
    return original(canonical, request);
  };
}

/** The S3 operation a request is, by method and shape (for request counts). */
function operationOf(ctx: KoaContext, hasKey: boolean): string {
  const { method, headers, query } = ctx;
  if (!hasKey) {
    if (method === 'GET') return 'list-type' in query ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'POST' && 'delete' in query) return 'DeleteObjects';
    if (method === 'DELETE') return 'DeleteBucket';
  } else {
    if (method === 'GET') return 'GetObject';
    if (method === 'HEAD') return 'HeadObject';
    if (method === 'PUT')
      return headers['x-amz-copy-source'] === undefined ? 'PutObject' : 'CopyObject';
    if (method === 'DELETE') return 'DeleteObject';
  }
  return `${method} ${hasKey ? 'object' : 'bucket'}`;
}

function usesChecksumHeaders(headers: KoaContext['headers']): boolean {
  if (Object.keys(headers).some((h) => h.startsWith('x-amz-checksum-'))) return true;
  if (headers['x-amz-sdk-checksum-algorithm'] !== undefined) return true;
  if ((headers['content-encoding'] ?? '').includes('aws-chunked')) return true;
  return (headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-UNSIGNED');
}

export function createRequestFixes(
  behaviour: S3rverBehaviour,
  counts: Map<string, number>,
): Middleware {
  const S3Error = requireS3rver<S3ErrorClass>('models/error.js');
  /**
   * The outermost middleware: counts requests, remembers the path and query as sent (for the
   * signature check), routes keys with empty segments, refuses checksum headers when asked,
   * and undoes the second escaping of XML text.
   */
  return async (ctx, next) => {
    const url = ctx.req.url ?? '/';
    const q = url.indexOf('?');
    const request = { path: q < 0 ? url : url.slice(0, q), query: q < 0 ? '' : url.slice(q + 1) };
    const isObject = /^\/[^/]+\/./.test(request.path);
    const operation = operationOf(ctx, isObject);
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    if (behaviour.checksumHeaders === 'reject' && isObject && usesChecksumHeaders(ctx.headers))
      throw new S3Error(
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
      );
    // s3rver's router has no route for an empty path segment; the store maps the stand-in
    // segment (ESCAPE alone) back to the empty one (fix 3).
    if (ctx.path.includes('//')) {
      let path = ctx.path;
      while (path.includes('//')) path = path.replace('//', `/${encodeURIComponent(ESCAPE)}/`);
      ctx.path = path;
    }
    await sent.run(request, next);
    if (typeof ctx.body === 'string' && ctx.type === 'application/xml') {
      ctx.body = ctx.body
        .replace(/&amp;(amp|lt|gt|quot|#x27|#x60);/g, '&$1;')
        .replace(/&#x27;/g, '&apos;')
        .replace(/&#x60;/g, '`');
    }
  };
}
