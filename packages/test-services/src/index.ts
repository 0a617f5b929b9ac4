export { type Gated, ServiceUnavailableError, gateService, isCI } from './service-gate.js';
export {
  LOCAL_S3_REGION,
  type LocalS3Server,
  type S3Connection,
  type S3Credentials,
  type StartS3ServerOptions,
  startS3Server,
} from './s3-server.js';
export { type ResolveS3TargetOptions, type S3Target, resolveS3Target } from './s3-target.js';
export { createS3TestClient, deletePrefix, listKeys } from './s3-objects.js';
export {
  type OwnRedisServer,
  freePort,
  hasRedisServerBinary,
  redisAnswers,
  startRedisServer,
} from './redis-server.js';
export { type RedisTarget, resolveRedisUrl } from './redis-target.js';
export { type RillRunner, createRillRunner } from './rill-runner.js';
