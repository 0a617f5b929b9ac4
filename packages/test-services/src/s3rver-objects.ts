// Fixes 4, 5 and 6 of s3rver-fixes.ts, around s3rver's object controllers (they run after
// authentication): copy sources fully URL-decoded, one request at a time per key, conditional
// writes honoured (or ignored or refused, when a test asks for such a server).
import {
  type ConditionalWrites,
  type Controller,
  type KoaContext,
  type S3ErrorClass,
  requireS3rver,
} from './s3rver-internals.js';

/** One lock per object key: requests on a key run one at a time, in arrival order. */
class KeyLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Wait for every earlier holder of `keys` (taken in sorted order: no deadlock). */
  async acquire(keys: readonly string[]): Promise<() => void> {
    const releases: (() => void)[] = [];
    for (const key of [...new Set(keys)].sort()) {
      const previous = this.tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const done = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = previous.then(() => done);
      this.tails.set(key, tail);
      await previous;
      releases.push(() => {
        release();
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const r of releases) r();
    };
  }
}

function fullyDecodeCopySource(header: string): { bucket: string; key: string } {
  const path = decodeURIComponent(header.split('?')[0] ?? '');
  const trimmed = path.startsWith('/') ? path.slice(1) : path;
  const slash = trimmed.indexOf('/');
  return { bucket: trimmed.slice(0, slash), key: trimmed.slice(slash + 1) };
}

/** Wrap s3rver's object controllers with fixes 4, 5 and 6 (see s3rver-fixes.ts). */
export function fixObjectControllers(conditionalWrites: ConditionalWrites): void {
  const controllers = requireS3rver<Record<string, Controller>>('controllers/object.js');
  const S3Error = requireS3rver<S3ErrorClass>('models/error.js');
  const locks = new KeyLocks();
  const lockName = (bucket: string | undefined, key: string | undefined) =>
    `${bucket ?? ''}/${key ?? ''}`;

  /** Run `controller` holding `keys`, until the response is sent. */
  const holding =
    (keysOf: (ctx: KoaContext) => string[], controller: Controller): Controller =>
    async (ctx) => {
      const release = await locks.acquire(keysOf(ctx));
      // A GET's body is sent after the controller returns: keep the key until it is.
      ctx.res.once('close', release);
      try {
        return await controller(ctx);
      } catch (error) {
        release();
        throw error;
      }
    };

  const own = (ctx: KoaContext) => [lockName(ctx.params['bucket'], ctx.params['key'])];

  const { getObject, deleteObject, putObject, putObjectCopy } = controllers;
  if (!getObject || !deleteObject || !putObject || !putObjectCopy)
    throw new Error('s3rver object controllers not found');

  controllers['getObject'] = holding(own, getObject);
  controllers['deleteObject'] = holding(own, deleteObject);

  controllers['putObject'] = holding(own, async (ctx) => {
    const ifMatch = ctx.headers['if-match'];
    const ifNoneMatch = ctx.headers['if-none-match'];
    if (ifMatch !== undefined || ifNoneMatch !== undefined) {
      if (conditionalWrites === 'reject')
        throw new S3Error(
          'NotImplemented',
          'A header you provided implies functionality that is not implemented',
          { Header: ifMatch !== undefined ? 'If-Match' : 'If-None-Match' },
        );
      if (conditionalWrites === 'honour') {
        const bucket = ctx.params['bucket'] ?? '';
        const key = ctx.params['key'] ?? '';
        const etag = await ctx.store.etagOf(bucket, key);
        const exists = etag !== undefined;
        if (ifNoneMatch === '*' && exists)
          throw new S3Error(
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
            { Condition: 'If-None-Match' },
          );
        if (ifMatch !== undefined) {
          if (!exists)
            throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
          if (etag !== ifMatch)
            throw new S3Error(
              'PreconditionFailed',
              'At least one of the pre-conditions you specified did not hold',
              { Condition: 'If-Match' },
            );
        }
      }
    }
    return putObject(ctx);
  });

  const copyKeys = (ctx: KoaContext) => {
    const source = fullyDecodeCopySource(ctx.headers['x-amz-copy-source'] ?? '');
    return [...own(ctx), lockName(source.bucket, source.key)];
  };
  controllers['putObjectCopy'] = holding(copyKeys, async (ctx) => {
    const header = ctx.headers['x-amz-copy-source'] ?? '';
    const source = fullyDecodeCopySource(header);
    // s3rver decodes the header with decodeURI: hand it a form that decodes to the exact key.
    ctx.headers['x-amz-copy-source'] = encodeURI(`${source.bucket}/${source.key}`);
    const ifMatch = ctx.headers['x-amz-copy-source-if-match'];
    const etag =
      ifMatch !== undefined && conditionalWrites !== 'ignore'
        ? await ctx.store.etagOf(source.bucket, source.key)
        : undefined;
    if (etag !== undefined && etag !== ifMatch)
      throw new S3Error(
        'PreconditionFailed',
        'At least one of the pre-conditions you specified did not hold',
        { Condition: 'x-amz-copy-source-If-Match' },
      );
    return putObjectCopy(ctx);
  });
}
