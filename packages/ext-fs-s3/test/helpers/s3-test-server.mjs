// A small S3-compatible HTTP server for tests and benchmarks, in memory, on a loopback port.
// It implements the REST subset the S3 fs backend uses, following the S3 API reference:
// path-style addressing, ListObjectsV2 (prefix, delimiter, max-keys, start-after, continuation
// tokens, common prefixes counted toward max-keys, UTF-8 binary key order), Get/Head/Put/Delete
// object, CopyObject (fully URL-decoded x-amz-copy-source, copy-source-if-match), conditional
// PUT (If-Match / If-None-Match: *), DeleteObjects, HeadBucket/CreateBucket, XML errors.
// Writes replace an object whole, so readers never see a partial body.
//
// Like many S3-compatible servers it does not speak the newer flexible-checksum headers: an
// object PUT carrying x-amz-checksum-* / x-amz-sdk-checksum-algorithm or an aws-chunked body,
// or a GET asking x-amz-checksum-mode, is refused with 501 NotImplemented. Signatures are not
// verified; the access key id "denied" gets 403 AccessDenied for every request.
//
// Written for this project because the npm S3 emulators that run in-process do not work on
// Node 20 for this suite (see the package README, "Running its tests").
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_KEY_BYTES = 1024;

function xmlEscape(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function xmlUnescape(text) {
  return text.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#[0-9]+);/g, (_, e) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    if (e === 'amp') return '&';
    return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

// S3 orders keys by their UTF-8 bytes, which differs from JS string order for astral characters.
function compareKeys(a, b) {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

class S3Failure extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parsePath(rawUrl) {
  const url = new URL(rawUrl, 'http://localhost');
  const raw = url.pathname.slice(1);
  const slash = raw.indexOf('/');
  const bucket = decodeURIComponent(slash < 0 ? raw : raw.slice(0, slash));
  const key = slash < 0 ? undefined : decodeURIComponent(raw.slice(slash + 1));
  return { bucket, key, query: url.searchParams };
}

function accessKeyOf(req) {
  const match = /Credential=([^/,\s]+)/.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/**
 * Start a server. Options: `port` (default 0: a free port), `buckets` (created at start),
 * `conditionalWrites`: `'honour'` (default), `'ignore'` (old servers: headers ignored) or
 * `'reject'` (501 NotImplemented).
 */
export async function startS3TestServer(options = {}) {
  const conditional = options.conditionalWrites ?? 'honour';
  /** @type {Map<string, Map<string, {body: Buffer, etag: string, modified: Date}>>} */
  const buckets = new Map((options.buckets ?? []).map((b) => [b, new Map()]));
  const requests = new Map();
  const sockets = new Set();

  function bucketOf(name) {
    const found = buckets.get(name);
    if (found === undefined)
      throw new S3Failure(404, 'NoSuchBucket', 'The specified bucket does not exist');
    return found;
  }

  function count(op) {
    requests.set(op, (requests.get(op) ?? 0) + 1);
  }

  function send(res, status, xml, headers = {}) {
    const body =
      xml === undefined ? undefined : Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
    res.writeHead(status, {
      'x-amz-request-id': randomUUID(),
      ...(body === undefined
        ? { 'content-length': '0' }
        : { 'content-type': 'application/xml', 'content-length': String(body.length) }),
      ...headers,
    });
    res.end(body);
  }

  function listV2(res, bucketName, query) {
    const bucket = bucketOf(bucketName);
    const prefix = query.get('prefix') ?? '';
    const delimiter = query.get('delimiter') ?? '';
    const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? 1000)));
    const token = query.get('continuation-token');
    let after = query.get('start-after') ?? '';
    let skipPrefix;
    if (token !== null) {
      try {
        ({ after, skipPrefix } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
      } catch {
        throw new S3Failure(400, 'InvalidArgument', 'The continuation token provided is incorrect');
      }
    }
    const keys = [...bucket.keys()]
      .filter((k) => k.startsWith(prefix) && compareKeys(k, after) > 0)
      .sort(compareKeys);
    const contents = [];
    const prefixes = [];
    let truncated = false;
    let last;
    for (const key of keys) {
      if (skipPrefix !== undefined && key.startsWith(skipPrefix)) continue;
      const cut = delimiter === '' ? -1 : key.indexOf(delimiter, prefix.length);
      const common = cut < 0 ? undefined : key.slice(0, cut + delimiter.length);
      if (common !== undefined && common === prefixes.at(-1)) continue;
      if (contents.length + prefixes.length >= maxKeys) {
        truncated = true;
        break;
      }
      if (common !== undefined) {
        prefixes.push(common);
        last = { after: key, skipPrefix: common };
      } else {
        contents.push(key);
        last = { after: key };
      }
      skipPrefix = undefined;
    }
    const enc = query.get('encoding-type') === 'url' ? encodeURIComponent : (s) => s;
    const parts = [
      `<ListBucketResult xmlns="${XMLNS}">`,
      `<Name>${xmlEscape(bucketName)}</Name>`,
      `<Prefix>${xmlEscape(enc(prefix))}</Prefix>`,
      delimiter === '' ? '' : `<Delimiter>${xmlEscape(enc(delimiter))}</Delimiter>`,
      `<MaxKeys>${maxKeys}</MaxKeys>`,
      `<KeyCount>${contents.length + prefixes.length}</KeyCount>`,
      `<IsTruncated>${truncated}</IsTruncated>`,
      token === null ? '' : `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>`,
      truncated && last !== undefined
        ? `<NextContinuationToken>${Buffer.from(JSON.stringify(last)).toString('base64url')}</NextContinuationToken>`
        : '',
      query.get('encoding-type') === 'url' ? '<EncodingType>url</EncodingType>' : '',
      ...contents.map((key) => {
        const o = bucket.get(key);
        return `<Contents><Key>${xmlEscape(enc(key))}</Key><LastModified>${o.modified.toISOString()}</LastModified><ETag>${xmlEscape(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      }),
      ...prefixes.map(
        (p) => `<CommonPrefixes><Prefix>${xmlEscape(enc(p))}</Prefix></CommonPrefixes>`,
      ),
      '</ListBucketResult>',
    ];
    send(res, 200, parts.join(''));
  }

  function store(bucket, key, body) {
    const entry = {
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      modified: new Date(),
    };
    bucket.set(key, entry);
    return entry;
  }

  function checkConditions(req, bucket, key) {
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (ifMatch === undefined && ifNoneMatch === undefined) return;
    if (conditional === 'ignore') return;
    if (conditional === 'reject')
      throw new S3Failure(
        501,
        'NotImplemented',
        'A header you provided implies functionality that is not implemented',
      );
    const current = bucket.get(key);
    if (ifNoneMatch !== undefined) {
      if (ifNoneMatch !== '*')
        throw new S3Failure(501, 'NotImplemented', 'If-None-Match supports only *');
      if (current !== undefined)
        throw new S3Failure(
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        );
    }
    if (ifMatch !== undefined) {
      if (current === undefined)
        throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
      if (ifMatch !== current.etag && ifMatch !== '*')
        throw new S3Failure(
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        );
    }
  }

  function refuseChecksumHeaders(req) {
    for (const [name, value] of Object.entries(req.headers)) {
      const checksum =
        name.startsWith('x-amz-checksum-') ||
        name === 'x-amz-sdk-checksum-algorithm' ||
        name === 'x-amz-trailer';
      const chunked = name === 'content-encoding' && String(value).includes('aws-chunked');
      const streaming = name === 'x-amz-content-sha256' && String(value).startsWith('STREAMING-');
      if (checksum || chunked || streaming)
        throw new S3Failure(
          501,
          'NotImplemented',
          `Header '${name}' with value '${String(value)}' not implemented`,
        );
    }
  }

  async function objectRequest(req, res, bucketName, key, query) {
    const bucket = bucketOf(bucketName);
    if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES)
      throw new S3Failure(400, 'KeyTooLongError', 'Your key is too long');
    if (req.method === 'GET' || req.method === 'HEAD') {
      count(req.method === 'GET' ? 'GetObject' : 'HeadObject');
      if (req.headers['x-amz-checksum-mode'] !== undefined)
        refuseChecksumHeaders({
          headers: { 'x-amz-checksum-mode': req.headers['x-amz-checksum-mode'] },
        });
      const o = bucket.get(key);
      if (o === undefined)
        throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, {
        'content-length': String(o.body.length),
        'content-type': 'application/octet-stream',
        etag: o.etag,
        'last-modified': o.modified.toUTCString(),
        'accept-ranges': 'bytes',
      });
      res.end(req.method === 'GET' ? o.body : undefined);
      return;
    }
    if (req.method === 'PUT') {
      const copySource = req.headers['x-amz-copy-source'];
      const body = await readBody(req);
      if (copySource === undefined) {
        count('PutObject');
        refuseChecksumHeaders(req);
        checkConditions(req, bucket, key);
        const entry = store(bucket, key, body);
        res.writeHead(200, { etag: entry.etag, 'content-length': '0' });
        res.end();
        return;
      }
      count('CopyObject');
      const source = String(copySource)
        .replace(/^\//, '')
        .replace(/\?versionId=.*$/, '');
      const slash = source.indexOf('/');
      const sourceBucket = bucketOf(decodeURIComponent(source.slice(0, slash)));
      const sourceKey = decodeURIComponent(source.slice(slash + 1));
      const from = sourceBucket.get(sourceKey);
      if (from === undefined)
        throw new S3Failure(404, 'NoSuchKey', 'The specified key does not exist.');
      const ifMatch = req.headers['x-amz-copy-source-if-match'];
      if (ifMatch !== undefined && ifMatch !== from.etag)
        throw new S3Failure(
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
        );
      if (
        sourceBucket === bucket &&
        sourceKey === key &&
        req.headers['x-amz-metadata-directive'] !== 'REPLACE'
      )
        throw new S3Failure(
          400,
          'InvalidRequest',
          'This copy request is illegal because it is trying to copy an object to itself without changing the metadata',
        );
      const entry = store(bucket, key, from.body);
      send(
        res,
        200,
        `<CopyObjectResult><LastModified>${entry.modified.toISOString()}</LastModified><ETag>${xmlEscape(entry.etag)}</ETag></CopyObjectResult>`,
      );
      return;
    }
    if (req.method === 'DELETE') {
      count('DeleteObject');
      bucket.delete(key);
      send(res, 204, undefined);
      return;
    }
    void query;
    throw new S3Failure(
      405,
      'MethodNotAllowed',
      'The specified method is not allowed against this resource.',
    );
  }

  async function bucketRequest(req, res, bucketName, query) {
    if (req.method === 'PUT') {
      count('CreateBucket');
      if (!buckets.has(bucketName)) buckets.set(bucketName, new Map());
      send(res, 200, undefined, { location: `/${bucketName}` });
      return;
    }
    if (req.method === 'HEAD') {
      count('HeadBucket');
      bucketOf(bucketName);
      send(res, 200, undefined);
      return;
    }
    if (req.method === 'GET' && query.get('list-type') === '2') {
      count('ListObjectsV2');
      listV2(res, bucketName, query);
      return;
    }
    if (req.method === 'POST' && query.has('delete')) {
      count('DeleteObjects');
      const bucket = bucketOf(bucketName);
      const xml = (await readBody(req)).toString('utf8');
      const keys = [...xml.matchAll(/<Key>([\s\S]*?)<\/Key>/g)].map((m) => xmlUnescape(m[1]));
      for (const key of keys) bucket.delete(key);
      send(
        res,
        200,
        `<DeleteResult xmlns="${XMLNS}">${keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('')}</DeleteResult>`,
      );
      return;
    }
    throw new S3Failure(
      501,
      'NotImplemented',
      'This test server does not implement that bucket operation',
    );
  }

  const server = createServer((req, res) => {
    const { bucket, key, query } = parsePath(req.url ?? '/');
    const work = (async () => {
      if (accessKeyOf(req) === 'denied') throw new S3Failure(403, 'AccessDenied', 'Access Denied');
      if (bucket === '')
        throw new S3Failure(501, 'NotImplemented', 'ListBuckets is not implemented');
      if (key === undefined || key === '') await bucketRequest(req, res, bucket, query);
      else await objectRequest(req, res, bucket, key, query);
    })();
    work.catch((error) => {
      const failure =
        error instanceof S3Failure ? error : new S3Failure(500, 'InternalError', String(error));
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Drain an unread request body so the connection can be reused.
      req.resume();
      if (req.method === 'HEAD') send(res, failure.status, undefined);
      else
        send(
          res,
          failure.status,
          `<Error><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message><Key>${xmlEscape(key ?? '')}</Key><RequestId>${randomUUID()}</RequestId></Error>`,
        );
    });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  let stopped;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    /** Requests served so far, by S3 operation name. */
    requests,
    /** The keys stored in a bucket, in S3 order. */
    keys(bucketName) {
      return [...bucketOf(bucketName).keys()].sort(compareKeys);
    },
    /** Stop listening and cut every open connection, as a crashed server would. */
    stop() {
      stopped ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return stopped;
    },
  };
}
