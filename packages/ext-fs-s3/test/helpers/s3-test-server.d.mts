/** Options of {@link startS3TestServer}. */
export interface S3TestServerOptions {
  /** Port to listen on (127.0.0.1); default 0, a free port. */
  readonly port?: number;
  /** Buckets that exist from the start. */
  readonly buckets?: readonly string[];
  /**
   * Conditional PUT headers (If-Match, If-None-Match): honoured (default), ignored like an old
   * server, or refused with 501 NotImplemented.
   */
  readonly conditionalWrites?: 'honour' | 'ignore' | 'reject';
}

/** A running in-memory S3-compatible server. */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  readonly port: number;
  /** Requests served so far, by S3 operation name (`GetObject`, `ListObjectsV2`, ...). */
  readonly requests: Map<string, number>;
  /** The keys of a bucket, in S3 (UTF-8 byte) order. */
  keys(bucket: string): string[];
  /** Stop listening and cut every open connection. */
  stop(): Promise<void>;
}

/** Start an in-memory S3-compatible server on a loopback port. */
export function startS3TestServer(options?: S3TestServerOptions): Promise<S3TestServer>;
