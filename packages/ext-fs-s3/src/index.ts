export { createS3FsExtension } from './create-s3-fs-extension.js';
export { S3FsBackend, encodeCopySource, type S3FsBackendOptions } from './s3-fs.js';
export { mapS3Error } from './map-error.js';
export {
  S3_DEFAULT_CONNECT_TIMEOUT_MS,
  S3_DEFAULT_MAX_ATTEMPTS,
  S3_DEFAULT_REQUEST_TIMEOUT_MS,
  type S3ConnectionOptions,
  type S3CredentialsProvider,
  type S3FsMountOptions,
  type S3FsOptions,
  type S3StaticCredentials,
} from './options.js';
