import type { S3Client } from '@aws-sdk/client-s3';
import {
  assertFsOptionKeys,
  defineFsExtension,
  fsConfigError,
  isNonEmptyString,
  normalizeFsPath,
  type ExtensionResult,
} from '@rillkit/core';
import { S3_CONNECTION_OPTIONS, type S3FsMountOptions, type S3FsOptions } from './options.js';
import {
  connectionOptionsOf,
  createS3Client,
  fieldsUnder,
  validateClient,
  validateConnection,
} from './s3-connection.js';
import { S3FsBackend } from './s3-fs.js';

const PREFIX_RULE =
  'must be a relative key prefix such as "documents/" (no leading "/", no empty, "." or ".." segments, no control characters or backslashes)';

/** Validate a mount's `prefix` and return it as `''` or ending in `/`. */
function validatePrefix(value: unknown, field: string): string {
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string') throw fsConfigError(field, PREFIX_RULE);
  const bare = value.endsWith('/') ? value.slice(0, -1) : value;
  let canonical: string;
  try {
    canonical = normalizeFsPath(bare);
  } catch (cause) {
    throw fsConfigError(field, PREFIX_RULE, cause);
  }
  if (bare === '' || canonical !== bare) throw fsConfigError(field, PREFIX_RULE);
  return `${canonical}/`;
}

function validateBucket(value: unknown, field: string): string {
  if (!isNonEmptyString(value))
    throw fsConfigError(field, 'is required: the name of an existing bucket');
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value) || value.length > 255)
    throw fsConfigError(field, 'must be a bucket name (letters, digits, ".", "-", "_")');
  return value;
}

function conflictWithClient(options: Record<string, unknown>, field: string): never {
  const name = Object.keys(connectionOptionsOf(options))[0] ?? 'client';
  throw fsConfigError(
    field === '' ? name : `${field}.${name}`,
    'cannot be combined with client (configure the client instead)',
  );
}

/**
 * The fs extension on S3: `fs::read`, `fs::write`, ... (docs/ref-storage.md) over key prefixes of
 * S3 buckets, with core's fs policy (modes, path rules, glob, maxFileSize) applied. Works with
 * AWS S3 and S3-compatible servers (`endpoint`, `forcePathStyle: true`).
 *
 * Connection options (`region`, `endpoint`, `forcePathStyle`, `credentials`,
 * `connectTimeoutMs`, `requestTimeoutMs`, `maxAttempts`) may be given at the top level for
 * every mount, or on a mount for that mount (overlaying the top level); `client` passes an
 * existing `S3Client` instead. Mounts share one client per connection. Clients the extension
 * creates are destroyed by `dispose()`; a client the host passed is left alone.
 *
 * Config errors (`FS_INVALID_CONFIG`) name the field, e.g. `mounts.data.bucket`. See
 * `S3FsBackend` for how folders, appends, copies and moves map to S3.
 *
 * @example
 * const fs = createS3FsExtension({
 *   mounts: {
 *     data: {
 *       mode: 'read-write', region: 'us-east-1', bucket: 'my-app-data', prefix: 'documents/',
 *       credentials: { accessKeyId: 'AKIA…', secretAccessKey: '…' },
 *     },
 *   },
 * });
 * const ctx = createRuntimeContext({ functions: { ...fs.functions } });
 * // ... execute scripts ...
 * await fs.dispose();
 */
export function createS3FsExtension(options: S3FsOptions): ExtensionResult {
  assertFsOptionKeys(options, ['mounts', 'namespace', 'client', ...S3_CONNECTION_OPTIONS], '');
  const top = connectionOptionsOf(options);
  const topClient =
    options.client === undefined ? undefined : validateClient(options.client, 'client');
  if (topClient !== undefined && Object.keys(top).length > 0) conflictWithClient(options, '');

  const owned: S3Client[] = [];
  let shared: S3Client | undefined = topClient;
  let topUsed = false;

  function clientFor(name: string, mount: S3FsMountOptions): S3Client {
    const field = `mounts.${name}`;
    const own = connectionOptionsOf(mount as unknown as Record<string, unknown>);
    if (mount.client !== undefined) {
      const client = validateClient(mount.client, `${field}.client`);
      if (Object.keys(own).length > 0)
        conflictWithClient(mount as unknown as Record<string, unknown>, field);
      return client;
    }
    topUsed = true;
    if (Object.keys(own).length === 0) {
      if (shared === undefined) {
        shared = createS3Client(validateConnection(top, fieldsUnder('')));
        owned.push(shared);
      }
      return shared;
    }
    // The mount's own options overlay the top level; errors name where each value came from.
    const settings = validateConnection({ ...top, ...own }, (option) =>
      option in own ? `${field}.${option}` : option,
    );
    const client = createS3Client(settings);
    owned.push(client);
    return client;
  }

  const destroyOwned = (): void => {
    for (const client of owned.splice(0)) client.destroy();
  };

  let extension: ExtensionResult;
  try {
    extension = defineFsExtension<S3FsMountOptions>({
      backend: 's3',
      namespace: options.namespace,
      mounts: options.mounts,
      backendMountOptions: ['bucket', 'prefix', 'client', ...S3_CONNECTION_OPTIONS],
      createBackend(name, mount) {
        const bucket = validateBucket(mount.bucket, `mounts.${name}.bucket`);
        const prefix = validatePrefix(mount.prefix, `mounts.${name}.prefix`);
        return new S3FsBackend({ client: clientFor(name, mount), bucket, prefix });
      },
      async dispose() {
        destroyOwned();
      },
    });
  } catch (error) {
    destroyOwned();
    throw error;
  }
  if (!topUsed && Object.keys(top).length > 0) {
    void extension.dispose().catch(() => undefined);
    throw fsConfigError(
      Object.keys(top)[0] ?? 'options',
      'is not used: every mount has its own client',
    );
  }
  return extension;
}
